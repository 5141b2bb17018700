// bench-floor: what the kernel itself needs for one more volume, the floor under what the
// runtime's volumes cost (`make bench`; docs/developers.md, "The kernel's floor").
//
//   bench-floor N DIRECTORY [ROUNDS]
//
// In a private mount namespace, on a layer like a container's (an overlay over a tmpfs,
// below DIRECTORY), ROUNDS times (default 5): 1. binds DIRECTORY/source onto N directories
// made beforehand, then unmounts them one by one (umount2(2), which waits for an RCU grace
// period, as the runtime's do); 2. the same, each mount point made just before its bind.
// The mount points are never on the source's mount: a bind without MS_REC looks at every
// mount below the source's mount (has_locked_children()), and N binds there cost O(N^2).
// Prints, per volume, for the median round: the wall-clock and CPU microseconds of 1, then
// of 2. Removes what it made. Run as root.
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
#include <functional>
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

void make_directory(const std::string& path) {
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) die("mkdir " + path);
}

void bind(const std::string& source, const std::string& target) {
    if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
        die("bind " + source + " on " + target);
    }
}

void unmount(const std::string& target) {
    if (::umount2(target.c_str(), 0) != 0) die("umount " + target);
}

/// Mounts an overlay on @p directory/merged, its lower layer the empty directory @p lower
/// (where the runtime's is the image), its upper layer on a tmpfs mounted on @p directory,
/// as the runtime makes a container's layer; returns the overlay's path.
std::string mount_layer(const std::string& directory, const std::string& lower) {
    make_directory(directory);
    if (::mount("tmpfs", directory.c_str(), "tmpfs", 0, "mode=0755") != 0) {
        die("mount tmpfs on " + directory);
    }
    for (const char* name : {"/upper", "/work", "/merged"}) make_directory(directory + name);
    const std::string layers =
        "lowerdir=" + lower + ",upperdir=" + directory + "/upper,workdir=" + directory + "/work";
    const std::string merged = directory + "/merged";
    if (::mount("overlay", merged.c_str(), "overlay", 0, layers.c_str()) != 0) {
        die("mount overlay on " + merged);
    }
    return merged;
}

/// The median of @p rounds, each a (wall-clock, CPU) pair.
std::pair<double, double> median(std::vector<std::pair<double, double>> rounds) {
    std::sort(rounds.begin(), rounds.end());
    return rounds[rounds.size() / 2];
}

/// Times @p work, which handles @p count volumes: per volume, wall-clock and CPU time.
std::pair<double, double> per_volume(int count, const std::function<void()>& work) {
    const double cpu_start = cpu_us();
    const auto start = std::chrono::steady_clock::now();
    work();
    const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    return {took.count() / count, (cpu_us() - cpu_start) / count};
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
    const std::string lower = directory + "/lower";
    const std::string layer = directory + "/layer";
    make_directory(source);
    make_directory(lower);
    const std::string merged = mount_layer(layer, lower);
    std::vector<std::string> made;  // 1's mount points, made before the clock starts
    for (int i = 0; i < count; ++i) {
        made.push_back(merged + "/t" + std::to_string(i));
        make_directory(made.back());
    }

    std::vector<std::pair<double, double>> bind_rounds;
    std::vector<std::pair<double, double>> mkdir_rounds;
    for (int round = 0; round < rounds; ++round) {
        bind_rounds.push_back(per_volume(count, [&] {
            for (const std::string& target : made) bind(source, target);
            for (const std::string& target : made) unmount(target);
        }));
        std::vector<std::string> fresh;  // 2's, named before the clock starts
        for (int i = 0; i < count; ++i) {
            fresh.push_back(merged + "/r" + std::to_string(round) + "-" + std::to_string(i));
        }
        mkdir_rounds.push_back(per_volume(count, [&] {
            for (const std::string& target : fresh) {
                make_directory(target);
                bind(source, target);
            }
            for (const std::string& target : fresh) unmount(target);
        }));
    }
    // Everything made in the layer goes with its tmpfs; what is left is empty again.
    unmount(merged);
    unmount(layer);
    for (const std::string& path : {layer, lower, source}) ::rmdir(path.c_str());

    const auto [wall, cpu] = median(bind_rounds);
    const auto [mkdir_wall, mkdir_cpu] = median(mkdir_rounds);
    std::printf("%.1f %.1f %.1f %.1f\n", wall, cpu, mkdir_wall, mkdir_cpu);
    return 0;
}
