// bench-floor: what the kernel itself needs for one bind mount and one unmount, the
// floor under the cost of one more volume (`make bench` compares the runtime with it).
//
//   bench-floor N DIRECTORY [ROUNDS]
//
// In a private mount namespace of its own, binds DIRECTORY/source onto N directories
// DIRECTORY/tI, then unmounts them one by one (umount2(2), not a lazy detach: each
// unmount waits for an RCU grace period, as the runtime's do), ROUNDS times (default 5).
// Prints the median of the rounds, in microseconds per bind + unmount, then the CPU time
// (user + system) the median round took per bind + unmount: without the waits, what the
// load of the machine does not change. The directories are made before the clock starts
// and removed afterwards. Run as root.
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench-floor: %s: %s\n", what.c_str(), std::strerror(errno));
    std::exit(1);
}

/// The CPU time this process has used so far, user and system, in microseconds.
double cpu_us() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + usage.ru_utime.tv_usec +
           usage.ru_stime.tv_usec;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: bench-floor N DIRECTORY [ROUNDS]\n");
        return 2;
    }
    const int count = std::atoi(argv[1]);
    const std::string directory = argv[2];
    const int rounds = argc == 4 ? std::atoi(argv[3]) : 5;
    if (count < 1 || rounds < 1) {
        std::fprintf(stderr, "bench-floor: N and ROUNDS must be positive\n");
        return 2;
    }

    // A namespace of its own, private: nothing done here reaches any other.
    if (::unshare(CLONE_NEWNS) != 0) die("unshare");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) die("make / private");

    const std::string source = directory + "/source";
    std::vector<std::string> targets;
    if (::mkdir(source.c_str(), 0755) != 0 && errno != EEXIST) die("mkdir " + source);
    for (int i = 0; i < count; ++i) {
        targets.push_back(directory + "/t" + std::to_string(i));
        if (::mkdir(targets.back().c_str(), 0755) != 0 && errno != EEXIST)
            die("mkdir " + targets.back());
    }

    std::vector<std::pair<double, double>> per_volume;  // wall, CPU
    for (int round = 0; round < rounds; ++round) {
        const double cpu_start = cpu_us();
        const auto start = std::chrono::steady_clock::now();
        for (const std::string& target : targets) {
            if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
                die("bind");
        }
        for (const std::string& target : targets) {
            if (::umount2(target.c_str(), 0) != 0) die("umount");
        }
        const std::chrono::duration<double, std::micro> took =
            std::chrono::steady_clock::now() - start;
        per_volume.emplace_back(took.count() / count, (cpu_us() - cpu_start) / count);
    }
    for (const std::string& target : targets) ::rmdir(target.c_str());
    ::rmdir(source.c_str());

    std::sort(per_volume.begin(), per_volume.end());
    const auto& [wall, cpu] = per_volume[per_volume.size() / 2];
    std::printf("%.1f %.1f\n", wall, cpu);
    return 0;
}
