// Fault: binds a volume without MS_REC, so the mounts below its source are missing
// Hint: 4
//
// One of the deliberately broken runtimes of step 05: the reference runtime, linked with
// this file and `-Wl,--wrap=mount`, so that every call of mount(2) in the runtime's code
// comes here first. Every bind (not a remount) loses MS_REC: the volume shows the
// source directory, but not what is mounted below it (the directories those mounts sit
// on show through instead). This is the seed exercise's own bug: MS_BIND alone.
//
// Wrap: mount
#include <sys/mount.h>

extern "C" int __real_mount(const char* source, const char* target, const char* type,
                            unsigned long flags, const void* data);

extern "C" int __wrap_mount(const char* source, const char* target, const char* type,
                            unsigned long flags, const void* data) {
    if ((flags & MS_BIND) != 0 && (flags & MS_REMOUNT) == 0) {
        flags &= ~static_cast<unsigned long>(MS_REC);  // the fault
    }
    return __real_mount(source, target, type, flags, data);
}
