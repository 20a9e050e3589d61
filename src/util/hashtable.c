/* The hash table: a power-of-two array of bucket lists, doubled when it holds more elements than buckets. */
#include <stdint.h>
#include <stdlib.h>

#include "hashtable.h"

#define FIRST_BUCKETS 16

void hashtable_init(struct hashtable *table)
{
    table->buckets = NULL;
    table->bucket_count = 0;
    table->count = 0;
}

void hashtable_free(struct hashtable *table)
{
    free(table->buckets);
    hashtable_init(table);
}

static struct list *bucket_of(const struct hashtable *table, size_t hash)
{
    return &table->buckets[hash & (table->bucket_count - 1)];
}

/* Moves every element to a table of bucket_count buckets, each old bucket front to back, so that elements with
 * equal hashes (one old bucket) keep their order in the new one. */
static int resize(struct hashtable *table, size_t bucket_count)
{
    struct hashtable grown = { calloc(bucket_count, sizeof(struct list)), bucket_count, table->count };
    struct list *cursor, *next;
    size_t i;

    if (!grown.buckets) return 0;
    for (i = 0; i < bucket_count; i++) list_init(&grown.buckets[i]);
    for (i = 0; i < table->bucket_count; i++)
        LIST_FOR_EACH_SAFE (cursor, next, &table->buckets[i])
            list_add_tail(bucket_of(&grown, LIST_ENTRY(cursor, struct hash_link, entry)->hash), cursor);
    free(table->buckets);
    *table = grown;
    return 1;
}

int hashtable_add(struct hashtable *table, struct hash_link *link, size_t hash)
{
    if (!table->buckets && !resize(table, FIRST_BUCKETS)) return 0;
    /* A failed growth only makes the chains longer. */
    if (table->count >= table->bucket_count) resize(table, table->bucket_count * 2);
    link->hash = hash;
    list_add_tail(bucket_of(table, hash), &link->entry);
    table->count++;
    return 1;
}

void hashtable_remove(struct hashtable *table, struct hash_link *link)
{
    list_remove(&link->entry);
    table->count--;
}

/* The first element with hash from cursor on, in cursor's bucket. */
static struct hash_link *scan(const struct hashtable *table, const struct list *cursor, size_t hash)
{
    const struct list *bucket = bucket_of(table, hash);

    for (; cursor != bucket; cursor = cursor->next) {
        struct hash_link *link = LIST_ENTRY(cursor, struct hash_link, entry);
        if (link->hash == hash) return link;
    }
    return NULL;
}

struct hash_link *hashtable_first(const struct hashtable *table, size_t hash)
{
    return table->buckets ? scan(table, bucket_of(table, hash)->next, hash) : NULL;
}

struct hash_link *hashtable_next(const struct hashtable *table, const struct hash_link *link)
{
    return scan(table, link->entry.next, link->hash);
}

size_t hash_bytes(const void *data, size_t size)
{
    const unsigned char *bytes = data;
    uint64_t hash = 0xcbf29ce484222325ull; /* FNV-1a */
    size_t i;

    for (i = 0; i < size; i++) hash = (hash ^ bytes[i]) * 0x100000001b3ull;
    return (size_t)hash;
}

size_t hash_pointer(const void *pointer)
{
    uint64_t hash = (uintptr_t)pointer;

    hash ^= hash >> 33; /* heap blocks are aligned: mix the high bits into the low ones */
    hash *= 0xff51afd7ed558ccdull;
    hash ^= hash >> 33;
    return (size_t)hash;
}
