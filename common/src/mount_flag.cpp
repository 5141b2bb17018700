/// @file mount_flag.cpp
/// @brief Parsing `--mount type=bind,source=SRC,target=DST[,readonly]`.
#include <array>
#include <optional>

#include "container/error.hpp"
#include "container/volume.hpp"
#include "split.hpp"
#include "volume_spec.hpp"

namespace container {
namespace {

/// The fields a bind mount spec can hold; each may be given once, under any of its names.
enum class Field { type, source, target, read_only };
constexpr std::size_t kFieldCount = 4;

struct FieldName {
    std::string_view key;
    Field field;
};

/// Docker's names and aliases.
constexpr std::array kFieldNames{
    FieldName{"type", Field::type},         FieldName{"source", Field::source},
    FieldName{"src", Field::source},        FieldName{"target", Field::target},
    FieldName{"destination", Field::target}, FieldName{"dst", Field::target},
    FieldName{"readonly", Field::read_only}, FieldName{"ro", Field::read_only},
};

/// The name messages use for a field, whichever alias was written.
constexpr std::string_view canonical_name(Field field) {
    constexpr std::array<std::string_view, kFieldCount> names{"type", "source", "target",
                                                              "readonly"};
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

    /// readonly may be bare, or say true/false (and 1/0) explicitly.
    bool read_only() const {
        const auto& value = values_[index(Field::read_only)];
        if (!value) return false;
        if (*value == "true" || *value == "1") return true;
        if (*value == "false" || *value == "0") return false;
        spec_.reject(quoted_name(read_only_key_) + " must be true, false, 1 or 0, not '" +
                     std::string{*value} + "'");
    }

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
            if (*field != Field::read_only) spec_.reject(quoted_name(key) + " needs a value");
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

}  // namespace

Volume parse_mount_flag(std::string_view spec) {
    const volume_spec::QuotedSpec quoted{.kind = "mount", .text = spec};
    const MountFields fields(quoted);
    // Docker's other types (volume, tmpfs) need machinery this runtime does not have.
    if (fields.required(Field::type) != "bind") quoted.reject("only type=bind is supported");
    const auto source = fields.required(Field::source);
    const auto target = fields.required(Field::target);
    // Unlike -v, Docker's --mount refuses a missing source: a typo must not create a
    // directory on the host.
    return volume_spec::checked_volume(quoted, source, target, fields.read_only(),
                                       /*create_missing_source=*/false);
}

}  // namespace container
