#ifndef CGLIBCEXTRAS_H
#define CGLIBCEXTRAS_H

#include <spawn.h>

/// glibc calls that Swift's Glibc module does not declare (they sit behind _GNU_SOURCE or in malloc.h).

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every descriptor from `lowest` up.
int vc_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// mallopt(M_ARENA_MAX, count): at most `count` malloc arenas for the whole process. 1 on success.
int vc_limit_malloc_arenas(int count);

/// malloc_trim(0): give the free memory of every arena back to the kernel. 1 if some was released.
int vc_malloc_trim(void);

#endif
