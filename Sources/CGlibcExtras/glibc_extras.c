#define _GNU_SOURCE
#include "cglibcextras.h"

#include <malloc.h>

int vc_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int vc_limit_malloc_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}

int vc_malloc_trim(void) {
    return malloc_trim(0);
}
