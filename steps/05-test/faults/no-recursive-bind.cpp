// One of the deliberately broken runtimes of step 05 (faults.txt): the reference runtime,
// linked with this file and `-Wl,--wrap=open_tree,--wrap=mount`, so that every call of
// open_tree(2) and mount(2) in the runtime's code comes here first. Every clone of a
// mount tree loses AT_RECURSIVE, every bind (not a remount) loses MS_REC: the volume
// shows the source directory, but not what is mounted below it (the directories those
// mounts sit on show through instead). This is the seed exercise's own bug: MS_BIND alone.
//
// Wrap: open_tree
// Wrap: mount
#include <fcntl.h>      // AT_RECURSIVE
#include <sys/mount.h>

extern "C" int __real_open_tree(int directory, const char* path, unsigned int flags);
extern "C" int __real_mount(const char* source, const char* target, const char* type,
                            unsigned long flags, const void* data);

extern "C" int __wrap_open_tree(int directory, const char* path, unsigned int flags) {
    if ((flags & OPEN_TREE_CLONE) != 0) flags &= ~static_cast<unsigned int>(AT_RECURSIVE);  // the fault
    return __real_open_tree(directory, path, flags);
}

extern "C" int __wrap_mount(const char* source, const char* target, const char* type,
                            unsigned long flags, const void* data) {
    if ((flags & MS_BIND) != 0 && (flags & MS_REMOUNT) == 0) {
        flags &= ~static_cast<unsigned long>(MS_REC);  // the fault
    }
    return __real_mount(source, target, type, flags, data);
}
