/// @file terminal_guard.hpp
/// @brief Keeping the command from typing into the terminal it shares with the host.
#pragma once

namespace container {

/// Forbids, to this process and to every program it starts from now on, the two ioctl(2)
/// requests that put input into a terminal: TIOCSTI ("simulate terminal input") and
/// TIOCLINUX (whose paste works on a Linux console). They then fail with EPERM.
///
/// Why: the command runs on the user's terminal, the one of the shell that started the
/// runtime (stdin, and /dev/tty in the container, lead to it). With TIOCSTI it could
/// push "rm -rf ~" and a newline into that terminal's input: once the container is gone,
/// the user's shell reads the line and runs it, on the host, as the user. The kernel
/// lets any process do this to its own controlling terminal (unless the host turned
/// dev.tty.legacy_tiocsti off, which Debian 12's kernel cannot). Dropping capabilities
/// does not help; a seccomp filter does, and nothing can remove it once it is loaded.
/// bubblewrap and flatpak block these two requests for the same reason (CVE-2017-5226).
///
/// A seccomp filter needs CAP_SYS_ADMIN (or no_new_privs, which would disable the image's
/// set-user-ID programs): the container's init has it.
/// @throws std::system_error when the kernel refuses the filter.
void forbid_typing_into_terminal();

/// Whether a program started now could reach a terminal: stdin, stdout or stderr is one,
/// or /dev/tty opens (this process has a controlling terminal, and a /dev/tty to name
/// it). Called in the container, after pivot_root. When false (a script, a CI job, a
/// benchmark), there is nothing to type into: the filter, whose loading costs about as
/// much as a mount, can be spared.
[[nodiscard]] bool reaches_a_terminal() noexcept;

}  // namespace container
