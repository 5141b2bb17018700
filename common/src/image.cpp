/// @file image.cpp
/// @brief Where images live, and importing one from a tarball.
#include "container/image.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/error.hpp"
#include "remove_tree.hpp"

extern char** environ;

namespace container {

namespace {

/// A std::system_error whose message is written in full (throw_errno() can only put
/// the errno text last; these messages add a hint after it).
class ImageError : public std::system_error {
public:
    ImageError(int error_number, std::string message)
        : std::system_error(error_number, std::generic_category()), message_(std::move(message)) {}
    [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

private:
    std::string message_;
};

}  // namespace

bool valid_image_name(std::string_view name) {
    if (name.empty() || name.size() > 128) {
        return false;
    }
    auto alphanumeric = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    if (!alphanumeric(name.front())) {
        return false;
    }
    for (char c : name) {
        if (!alphanumeric(c) && c != '.' && c != '_' && c != '-') {
            return false;
        }
    }
    return true;
}

namespace {

/// @param hint said after the rule, e.g. how to give a path instead
void check_image_name(std::string_view name, std::string_view hint = "") {
    if (!valid_image_name(name)) {
        throw UsageError("invalid image name: '" + std::string(name) +
                         "' (letters, digits, '.', '_' and '-', starting with a letter or digit" +
                         std::string(hint) + ")");
    }
}

/// Runs `tar -xpf TARBALL -C DIRECTORY --numeric-owner`, without a shell.
/// @return tar's wait status.
int run_tar(const std::filesystem::path& tarball, const std::filesystem::path& directory) {
    std::vector<std::string> arguments = {
        "tar", "-xpf", tarball.string(), "-C", directory.string(), "--numeric-owner"};
    std::vector<char*> argv;
    for (auto& argument : arguments) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);

    // An inherited SIG_IGN for SIGCHLD would let the kernel reap tar before we can.
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(SIGCHLD, &default_action, nullptr);

    pid_t pid = 0;
    if (int error = posix_spawnp(&pid, "tar", nullptr, nullptr, argv.data(), environ); error != 0) {
        throw ImageError(error, "import: run tar: " + std::string(std::strerror(error)));
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "waitpid tar");
        }
    }
    return status;
}

std::string describe_tar_failure(int status) {
    if (WIFSIGNALED(status)) {
        return "tar was killed by signal " + std::to_string(WTERMSIG(status));
    }
    return "tar failed with exit status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

std::filesystem::path images_directory() {
    if (const char* from_environment = std::getenv("CONTAINER_IMAGES");
        from_environment != nullptr && *from_environment != '\0') {
        return from_environment;
    }
    return CONTAINER_DEFAULT_IMAGES;
}

std::filesystem::path resolve_image(std::string_view image) {
    const bool named = image.find('/') == std::string_view::npos;
    if (named) {
        check_image_name(image, "; a path to a rootfs contains a '/', e.g. ./rootfs");
    }
    const std::filesystem::path directory =
        named ? images_directory() / image : std::filesystem::path(image);

    struct stat status {};
    if (stat(directory.c_str(), &status) != 0) {
        const int error = errno;
        std::string message = "image " + std::string(image) + ": " + std::strerror(error);
        if (named && error == ENOENT) {
            message += " in " + images_directory().string() +
                       " (run 'make image' first, or set CONTAINER_IMAGES?)";
        }
        throw ImageError(error, message);
    }
    if (!S_ISDIR(status.st_mode)) {
        throw ImageError(ENOTDIR, "image " + std::string(image) + ": " + std::strerror(ENOTDIR) +
                                      " (an image is a rootfs directory)");
    }
    // Absolute and free of symlinks: it is the lower layer of the container's overlay.
    return std::filesystem::canonical(directory);
}

void import_image(const std::filesystem::path& tarball, std::string_view name) {
    check_image_name(name);
    if (access(tarball.c_str(), R_OK) != 0) {
        throw_errno("import", tarball);
    }
    const auto images = images_directory();
    std::error_code ignored;
    std::filesystem::create_directories(images, ignored);  // mkdtemp below reports a failure

    const auto target = images / name;
    struct stat existing {};
    if (lstat(target.c_str(), &existing) == 0) {
        throw ImageError(EEXIST, "import: image " + std::string(name) + ": " +
                                     std::strerror(EEXIST) + " (" + target.string() +
                                     "; remove it first or choose another name)");
    }

    // Unpacked next to its final place, then renamed: an image is never seen half made.
    std::string pattern = (images / ("." + std::string(name) + ".import-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw_errno("mkdtemp", pattern);
    }
    const std::filesystem::path unpacked = pattern;
    chmod(unpacked.c_str(), 0755);  // mkdtemp makes it 0700; a "./" entry in the tarball wins

    auto discard = [&unpacked] {
        try {
            remove_unpacked_tree(unpacked);
        } catch (const std::exception& error) {
            print_error(std::string("warning: could not remove the partial image: ") +
                        error.what());
        }
    };

    try {
        const int status = run_tar(std::filesystem::absolute(tarball), unpacked);
        if (status != 0) {
            throw ImageError(EIO, "import " + tarball.string() + ": " +
                                      describe_tar_failure(status) +
                                      " (the partial image was removed)");
        }
        if (renameat2(AT_FDCWD, unpacked.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) !=
            0) {
            throw_errno("rename the unpacked image to", target);
        }
    } catch (...) {
        discard();
        throw;
    }
}

}  // namespace container
