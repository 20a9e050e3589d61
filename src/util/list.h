/* An intrusive doubly linked list with a sentinel head. */
#ifndef MAPIHOST_LIST_H
#define MAPIHOST_LIST_H

#include <stddef.h>

struct list {
    struct list *next, *prev;
};

#define LIST_INIT(head)                                                                                                \
    {                                                                                                                  \
        &(head), &(head)                                                                                               \
    }
#define LIST_ENTRY(elem, type, field) ((type *)((char *)(elem)-offsetof(type, field)))
#define LIST_FOR_EACH_SAFE(cursor, next_cursor, head)                                                                  \
    for ((cursor) = (head)->next, (next_cursor) = (cursor)->next; (cursor) != (head);                                  \
         (cursor) = (next_cursor), (next_cursor) = (cursor)->next)
#define LIST_FOR_EACH(cursor, head) for ((cursor) = (head)->next; (cursor) != (head); (cursor) = (cursor)->next)

static inline void list_init(struct list *head)
{
    head->next = head->prev = head;
}
static inline int list_empty(const struct list *head)
{
    return head->next == head;
}

static inline unsigned int list_count(const struct list *head)
{
    const struct list *cursor;
    unsigned int count = 0;

    for (cursor = head->next; cursor != head; cursor = cursor->next) count++;
    return count;
}

static inline void list_add_tail(struct list *head, struct list *elem)
{
    elem->next = head;
    elem->prev = head->prev;
    head->prev->next = elem;
    head->prev = elem;
}

/* Every element of src moved to the end of dst, in order; src is left empty. */
static inline void list_move_tail(struct list *dst, struct list *src)
{
    if (src->next == src) return;
    src->next->prev = dst->prev;
    dst->prev->next = src->next;
    src->prev->next = dst;
    dst->prev = src->prev;
    src->next = src->prev = src;
}

static inline void list_remove(struct list *elem)
{
    elem->next->prev = elem->prev;
    elem->prev->next = elem->next;
    elem->next = elem->prev = elem;
}

#endif
