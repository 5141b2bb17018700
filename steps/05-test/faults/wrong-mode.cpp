// One of the deliberately broken runtimes of step 05 (faults.txt): the reference runtime,
// linked with this file and `-Wl,--wrap=chmod,--wrap=fchmod`. The runtime follows each
// mkdir(2) with a chmod(2) (or fchmod(2)) to 0755, because mkdir clears the umask's
// bits; here that chmod is skipped. Under the usual umask 022 nothing shows (mkdir gives
// 0755 anyway); under umask 077 the volume's new source directory and the mount points
// come out 0700.
//
// Wrap: chmod
// Wrap: fchmod
#include <sys/stat.h>

extern "C" int __real_chmod(const char* path, mode_t mode);
extern "C" int __real_fchmod(int fd, mode_t mode);

extern "C" int __wrap_chmod(const char* path, mode_t mode) {
    if (mode == 0755) return 0;  // the fault: "done", but nothing changed
    return __real_chmod(path, mode);
}

extern "C" int __wrap_fchmod(int fd, mode_t mode) {
    if (mode == 0755) return 0;  // the fault
    return __real_fchmod(fd, mode);
}
