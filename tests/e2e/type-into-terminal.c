/* type-into-terminal TEXT: pushes TEXT into the input of this process's controlling
 * terminal with ioctl(TIOCSTI), as an attacker in a container would, so that the user's
 * shell reads it and runs it on the host once the container is gone. Prints "typed", or
 * why not. Built static by privileges.bats and copied into the image: busybox has no
 * such applet, and the image has no C library. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: type-into-terminal TEXT\n");
        return 2;
    }
    int terminal = open("/dev/tty", O_RDWR);
    if (terminal < 0) {
        printf("no terminal: %s\n", strerror(errno));
        return 1;
    }
    for (const char* c = argv[1]; *c != '\0'; ++c) {
        if (ioctl(terminal, TIOCSTI, c) != 0) {
            printf("TIOCSTI: %s\n", strerror(errno));
            return 1;
        }
    }
    printf("typed\n");
    return 0;
}
