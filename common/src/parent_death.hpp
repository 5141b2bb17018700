/// @file parent_death.hpp
/// @brief The container dies with the runtime: a SIGKILLed runtime leaves no process and
///        no mount behind.
///
/// When the runtime is killed (even with SIGKILL, which nothing can catch), the container's
/// init gets SIGKILL from the kernel (PR_SET_PDEATHSIG). The death of a PID namespace's init
/// kills every process in it, and the last process gone takes the mount namespace with it,
/// and every mount made inside, the container's writable layer included.
///
/// What a mount namespace cannot take along is what was created *on the host*: the mount
/// point of a volume nested in another one is made in the outer volume's source, a host
/// directory, and only the run's cleanup removes it. A killed run never gets there; it
/// wrote each such entry in its journal before creating it (journal.hpp), and the next
/// `container run`, or `container cleanup`, removes what is still what the run made.
#pragma once

#include "container/unique_fd.hpp"

namespace container {

/// A pidfd of the calling process, for a child to check later that its parent is alive.
/// Opened before the child is created, inherited by it.
/// @throws std::system_error when pidfd_open(2) fails.
[[nodiscard]] UniqueFd open_own_pidfd();

/// In the child: asks for SIGKILL when the parent dies, then checks through @p parent
/// (from open_own_pidfd()) that the parent did not die before the request was made.
/// Exits at once (status 125, nothing to undo yet) when it did.
/// getppid() cannot tell here: the parent is outside the child's PID namespace,
/// so getppid() is 0 whether the parent lives or not.
void die_with_parent(const UniqueFd& parent) noexcept;

}  // namespace container
