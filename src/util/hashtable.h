/*
 * An intrusive hash table with chaining, for the lookups by key that must not be linear scans (P2): MAPIUIDs,
 * status rows, table rows by their index value, profile sections. The caller embeds a struct hash_link in its
 * element, computes the hash of the key, and compares keys itself while walking the elements with that hash.
 * Equal keys keep the order they were added in, growth included, so "the first one added wins" stays true.
 * Not thread-safe: the owner holds its own lock.
 */
#ifndef MAPIHOST_HASHTABLE_H
#define MAPIHOST_HASHTABLE_H

#include <stddef.h>
#include "list.h"

struct hash_link {
    struct list entry; /* in its bucket */
    size_t hash;
};

struct hashtable {
    struct list *buckets; /* NULL until the first add */
    size_t bucket_count;  /* a power of two */
    size_t count;
};

void hashtable_init(struct hashtable *table);
/* Frees the buckets; the elements are the caller's. */
void hashtable_free(struct hashtable *table);
/* 0 when out of memory (nothing added). */
int hashtable_add(struct hashtable *table, struct hash_link *link, size_t hash);
void hashtable_remove(struct hashtable *table, struct hash_link *link);
/* The first, then the next element added with hash, oldest first; NULL after the last. */
struct hash_link *hashtable_first(const struct hashtable *table, size_t hash);
struct hash_link *hashtable_next(const struct hashtable *table, const struct hash_link *link);

/* Walks the elements with hash: link is a struct hash_link *. */
#define HASHTABLE_FOR_EACH(link, table, hash)                                                                          \
    for ((link) = hashtable_first((table), (hash)); (link); (link) = hashtable_next((table), (link)))

size_t hash_bytes(const void *data, size_t size);
size_t hash_pointer(const void *pointer);

#endif
