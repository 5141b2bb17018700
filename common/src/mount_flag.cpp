/// @file mount_flag.cpp
/// @brief Parsing `--mount type=bind|volume|tmpfs,source=SRC,target=DST[,readonly]...`.
#include <array>
#include <optional>

#include "container/error.hpp"
#include "container/volume.hpp"
#include "split.hpp"
#include "volume_mode.hpp"
#include "volume_spec.hpp"

namespace container {
namespace {

/// The fields a bind mount spec can hold; each may be given once, under any of its names.
enum class Field {
    type,
    source,
    target,
    read_only,
    bind_propagation,
    volume_nocopy,
    tmpfs_size,
    tmpfs_mode
};
constexpr std::size_t kFieldCount = 8;

struct FieldName {
    std::string_view key;
    Field field;
};

/// Docker's names and aliases.
constexpr std::array kFieldNames{
    FieldName{"type", Field::type},
    FieldName{"source", Field::source},
    FieldName{"src", Field::source},
    FieldName{"target", Field::target},
    FieldName{"destination", Field::target},
    FieldName{"dst", Field::target},
    FieldName{"readonly", Field::read_only},
    FieldName{"ro", Field::read_only},
    FieldName{"bind-propagation", Field::bind_propagation},
    FieldName{"volume-nocopy", Field::volume_nocopy},
    FieldName{"tmpfs-size", Field::tmpfs_size},
    FieldName{"tmpfs-mode", Field::tmpfs_mode},
};

/// The name messages use for a field, whichever alias was written.
constexpr std::string_view canonical_name(Field field) {
    constexpr std::array<std::string_view, kFieldCount> names{
        "type",          "source",     "target",    "readonly", "bind-propagation",
        "volume-nocopy", "tmpfs-size", "tmpfs-mode"};
    return names[static_cast<std::size_t>(field)];
}

std::optional<Field> find_field(std::string_view key) {
    for (const auto& name : kFieldNames) {
        if (name.key == key) return name.field;
    }
    return std::nullopt;
}

std::string quoted_name(std::string_view name) {
    return "field '" + std::string{name} + "'";
}

/// The value of each field, as written; absent when not given.
class MountFields {
public:
    explicit MountFields(const volume_spec::QuotedSpec& spec) : spec_(spec) {
        for (const auto item : split(spec.text, ',')) add(item);
    }

    /// The value of a field the spec must hold.
    std::string_view required(Field field) const {
        const auto& value = values_[index(field)];
        if (!value) spec_.reject(quoted_name(canonical_name(field)) + " is required");
        return *value;
    }

    /// The value of a field that may be left out.
    std::optional<std::string_view> optional(Field field) const { return values_[index(field)]; }

    /// Refuses @p field when it is given: it belongs to another type of mount.
    void refuse(Field field, std::string_view type) const {
        if (values_[index(field)]) {
            spec_.reject(quoted_name(canonical_name(field)) +
                         " is not for type=" + std::string{type});
        }
    }

    /// readonly and volume-nocopy may be bare, or say true/false (and 1/0) explicitly.
    bool flag(Field field) const {
        const auto& value = values_[index(field)];
        if (!value) return false;
        if (*value == "true" || *value == "1") return true;
        if (*value == "false" || *value == "0") return false;
        const auto key = field == Field::read_only ? read_only_key_ : canonical_name(field);
        spec_.reject(quoted_name(key) + " must be true, false, 1 or 0, not '" +
                     std::string{*value} + "'");
    }
    bool read_only() const { return flag(Field::read_only); }

private:
    static std::size_t index(Field field) { return static_cast<std::size_t>(field); }

    /// Adds one "key=value" item (or the bare flag "readonly").
    void add(std::string_view item) {
        if (item.empty()) spec_.reject("empty field");
        const auto equals = item.find('=');
        const bool bare = equals == std::string_view::npos;
        const auto key = item.substr(0, equals);
        auto value = bare ? std::string_view{} : item.substr(equals + 1);

        const auto field = find_field(key);
        if (!field) spec_.reject("unknown " + quoted_name(key));
        if (bare) {
            if (*field != Field::read_only && *field != Field::volume_nocopy) {
                spec_.reject(quoted_name(key) + " needs a value");
            }
            value = "true";
        } else if (value.empty()) {
            spec_.reject(quoted_name(key) + " has an empty value");
        }
        // Giving a field twice (even as "src" and "source") is refused rather than
        // letting the last one win: one of the two values is surely a mistake.
        auto& slot = values_[index(*field)];
        if (slot) spec_.reject(quoted_name(canonical_name(*field)) + " is given twice");
        slot = value;
        if (*field == Field::read_only) read_only_key_ = key;
    }

    const volume_spec::QuotedSpec& spec_;
    std::array<std::optional<std::string_view>, kFieldCount> values_;
    std::string_view read_only_key_;
};

/// type=bind: a host path, which must exist.
Volume bind_mount(const volume_spec::QuotedSpec& quoted, const MountFields& fields) {
    for (const auto field : {Field::volume_nocopy, Field::tmpfs_size, Field::tmpfs_mode}) {
        fields.refuse(field, "bind");
    }
    const auto source = fields.required(Field::source);
    const auto target = fields.required(Field::target);
    auto propagation = Propagation::rprivate;
    if (const auto word = fields.optional(Field::bind_propagation)) {
        const auto named = propagation_named(*word);
        if (!named) quoted.reject("invalid propagation mode: " + std::string{*word});
        propagation = *named;
    }
    // Unlike -v, Docker's --mount refuses a missing source: a typo must not create a
    // directory on the host.
    auto volume = volume_spec::checked_volume(quoted, source, target, fields.read_only(),
                                              /*create_missing_source=*/false);
    volume.propagation = propagation;
    return volume;
}

/// type=volume: a named volume, or an anonymous one when there is no source.
Volume volume_mount(const volume_spec::QuotedSpec& quoted, const MountFields& fields) {
    for (const auto field : {Field::bind_propagation, Field::tmpfs_size, Field::tmpfs_mode}) {
        fields.refuse(field, "volume");
    }
    return volume_spec::checked_named_volume(quoted, fields.optional(Field::source).value_or(""),
                                             fields.required(Field::target), fields.read_only(),
                                             /*copy_up=*/!fields.flag(Field::volume_nocopy));
}

/// type=tmpfs: no source; its size and mode become tmpfs options.
Volume tmpfs_mount(const volume_spec::QuotedSpec& quoted, const MountFields& fields) {
    for (const auto field : {Field::source, Field::bind_propagation, Field::volume_nocopy}) {
        fields.refuse(field, "tmpfs");
    }
    std::string options;
    if (const auto size = fields.optional(Field::tmpfs_size))
        options += "size=" + std::string{*size};
    if (const auto mode = fields.optional(Field::tmpfs_mode)) {
        options += std::string{options.empty() ? "" : ","} + "mode=" + std::string{*mode};
    }
    // The same checks as --tmpfs, on the same options, with the destination first.
    auto volume = parse_tmpfs_flag(std::string{fields.required(Field::target)} +
                                   (options.empty() ? "" : ":" + options));
    if (fields.read_only()) volume.read_only = true;
    volume.spec = std::string{quoted.text};
    return volume;
}

}  // namespace

Volume parse_mount_flag(std::string_view spec) {
    const volume_spec::QuotedSpec quoted{.kind = "mount", .text = spec};
    const MountFields fields(quoted);
    const auto type = fields.required(Field::type);
    if (type == "bind") return bind_mount(quoted, fields);
    if (type == "volume") return volume_mount(quoted, fields);
    if (type == "tmpfs") return tmpfs_mount(quoted, fields);
    quoted.reject("unknown type '" + std::string{type} + "' (bind, volume or tmpfs)");
}

}  // namespace container
