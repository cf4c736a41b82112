#include "agent/mapping/catalog_loader.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "common/decimal.h"
#include "common/file_util.h"
#include "common/record_schema.h"

namespace erpsync::agent {
namespace {

namespace pb = google::protobuf;

// Keeps the first syntax error the protobuf parser reports.
class FirstErrorCollector : public pb::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (line_ < 0) {
      line_ = line + 1;
      column_ = column + 1;
      message_ = message;
    }
  }
  void AddWarning(int line, int column, const std::string& message) override {
    AddError(line, column, message);
  }
  int line_ = -1;
  int column_ = 0;
  std::string message_;
};

int LineOf(const pb::TextFormat::ParseInfoTree& tree, const pb::Message& message,
           const char* field, int index = -1) {
  const pb::FieldDescriptor* descriptor = message.GetDescriptor()->FindFieldByName(field);
  return tree.GetLocation(descriptor, index).line + 1;
}

MappingLines CollectLines(const pb::TextFormat::ParseInfoTree& tree,
                          const v1::EntityMapping& spec) {
  MappingLines lines;
  lines.id = LineOf(tree, spec, "id");
  lines.table = LineOf(tree, spec, "table");
  lines.key = spec.key_size() > 0 ? LineOf(tree, spec, "key", 0) : 0;
  lines.row_stamp = LineOf(tree, spec, "row_stamp");
  lines.timeframe_column = LineOf(tree, spec, "timeframe_column");
  for (int i = 0; i < spec.fields_size(); ++i) lines.fields.push_back(LineOf(tree, spec, "fields", i));
  for (int i = 0; i < spec.options_size(); ++i) {
    lines.options.push_back(LineOf(tree, spec, "options", i));
  }
  for (int i = 0; i < spec.depends_on_size(); ++i) {
    lines.depends_on.push_back(LineOf(tree, spec, "depends_on", i));
  }
  return lines;
}

// Checks one mapping on its own, part by part; every refusal is
// INVALID_ARGUMENT "<file>:<line>: <reason>".
class MappingChecker {
 public:
  explicit MappingChecker(const MappingDefinition& mapping)
      : mapping_(mapping), spec_(mapping.spec), lines_(mapping.lines) {}

  Status Check() {
    ERPSYNC_RETURN_IF_ERROR(CheckHeader());
    ERPSYNC_RETURN_IF_ERROR(CheckFields());
    ERPSYNC_RETURN_IF_ERROR(CheckKey());
    if (spec_.has_row_stamp() && spec_.row_stamp().date_column().empty()) {
      return Error(lines_.row_stamp, "row_stamp needs a 'date_column'");
    }
    ERPSYNC_RETURN_IF_ERROR(CheckOptionPanels());
    return CheckDependencies();
  }

 private:
  Status Error(int line, const std::string& reason) const {
    return InvalidArgumentError(mapping_.Where(line > 0 ? line : 1) + ": " + reason);
  }

  Status CheckHeader() const {
    if (spec_.id().empty()) return Error(1, "missing 'id'");
    if (!IsSchemaIdentifier(spec_.id())) {
      return Error(lines_.id, "id '" + spec_.id() + "' must be lower_snake_case (a-z, 0-9, _)");
    }
    if (spec_.display_name().empty()) return Error(lines_.id, "missing 'display_name'");
    if (spec_.table().empty()) return Error(lines_.id, "missing 'table'");
    if (spec_.fields_size() == 0) return Error(lines_.id, "no 'fields'");
    return Status::Ok();
  }

  Status CheckFields() {
    for (int i = 0; i < spec_.fields_size(); ++i) {
      const v1::MappedField& field = spec_.fields(i);
      const int line = lines_.fields[static_cast<size_t>(i)];
      const std::string& name = field.name();
      if (!IsSchemaIdentifier(name)) {
        return Error(line, "field name '" + name + "' must be lower_snake_case");
      }
      if (!field_names_.insert(name).second) {
        return Error(line, "field '" + name + "' is declared twice");
      }
      if (field.column().empty()) return Error(line, "field '" + name + "' has no 'column'");
      if (field.type() == v1::FieldSpec::TYPE_UNSPECIFIED) {
        return Error(line, "field '" + name + "' has no 'type'");
      }
      const bool decimal =
          field.type() == v1::FieldSpec::DECIMAL || field.type() == v1::FieldSpec::MONEY;
      if (!decimal && field.scale() != 0) {
        return Error(line, "field '" + name + "': 'scale' applies only to DECIMAL and MONEY");
      }
      if (field.scale() > kMaxDecimalScale) {
        return Error(line, "field '" + name + "': scale " + std::to_string(field.scale()) +
                               " exceeds " + std::to_string(kMaxDecimalScale));
      }
    }
    return Status::Ok();
  }

  Status CheckKey() {
    if (spec_.key_size() == 0) {
      return Error(lines_.id, "missing 'key' (the fields that identify a record)");
    }
    for (const std::string& key : spec_.key()) {
      if (field_names_.count(key) == 0) {
        return Error(lines_.key, "key '" + key + "' is not one of the mapping's fields");
      }
      if (!key_names_.insert(key).second) return Error(lines_.key, "key '" + key + "' is repeated");
    }
    return Status::Ok();
  }

  Status CheckOptionPanels() {
    std::set<std::string> panel_ids;
    bool has_row_filter = false;
    for (int i = 0; i < spec_.options_size(); ++i) {
      const v1::OptionPanel& panel = spec_.options(i);
      const int line = lines_.options[static_cast<size_t>(i)];
      if (!IsSchemaIdentifier(panel.id())) {
        return Error(line, "option panel id '" + panel.id() + "' must be lower_snake_case");
      }
      if (!panel_ids.insert(panel.id()).second) {
        return Error(line, "option panel '" + panel.id() + "' is declared twice");
      }
      if (panel.display_name().empty()) {
        return Error(line, "option panel '" + panel.id() + "' has no 'display_name'");
      }
      switch (panel.kind_case()) {
        case v1::OptionPanel::kRowFilter:
          if (has_row_filter) return Error(line, "a mapping may have at most one row_filter panel");
          has_row_filter = true;
          ERPSYNC_RETURN_IF_ERROR(CheckRowFilter(panel, line));
          break;
        case v1::OptionPanel::kFieldToggles:
          ERPSYNC_RETURN_IF_ERROR(CheckFieldToggles(panel, line));
          break;
        case v1::OptionPanel::KIND_NOT_SET:
          return Error(line, "option panel '" + panel.id() + "' needs row_filter or field_toggles");
      }
    }
    return Status::Ok();
  }

  // An option id, unique across the mapping's panels.
  Status CheckChoiceId(const v1::OptionPanel& panel, int line, const std::string& id) {
    if (!IsSchemaIdentifier(id)) {
      return Error(line, "option '" + id + "' of panel '" + panel.id() +
                             "' must have a lower_snake_case id");
    }
    if (!choice_ids_.insert(id).second) {
      return Error(line, "option id '" + id + "' is used twice in this mapping");
    }
    return Status::Ok();
  }

  Status CheckRowFilter(const v1::OptionPanel& panel, int line) {
    const v1::RowFilter& filter = panel.row_filter();
    if (filter.column().empty()) {
      return Error(line, "row_filter of panel '" + panel.id() + "' has no 'column'");
    }
    if (filter.choices_size() == 0) {
      return Error(line, "row_filter of panel '" + panel.id() + "' has no choices");
    }
    std::set<std::string> values;
    for (const v1::RowFilterChoice& choice : filter.choices()) {
      ERPSYNC_RETURN_IF_ERROR(CheckChoiceId(panel, line, choice.id()));
      if (!values.insert(choice.value()).second) {
        return Error(line, "value '" + choice.value() + "' appears twice in panel '" + panel.id() +
                               "'");
      }
    }
    return Status::Ok();
  }

  Status CheckFieldToggles(const v1::OptionPanel& panel, int line) {
    if (panel.field_toggles().choices_size() == 0) {
      return Error(line, "field_toggles of panel '" + panel.id() + "' has no choices");
    }
    for (const v1::FieldToggle& choice : panel.field_toggles().choices()) {
      ERPSYNC_RETURN_IF_ERROR(CheckChoiceId(panel, line, choice.id()));
      if (choice.fields_size() == 0) {
        return Error(line, "option '" + choice.id() + "' names no fields");
      }
      for (const std::string& field : choice.fields()) {
        if (field_names_.count(field) == 0) {
          return Error(line, "option '" + choice.id() + "' names unknown field '" + field + "'");
        }
        if (key_names_.count(field) > 0) {
          return Error(line, "option '" + choice.id() + "' cannot leave out key field '" + field +
                                 "'");
        }
      }
    }
    return Status::Ok();
  }

  Status CheckDependencies() const {
    std::set<std::string> dependencies;
    for (int i = 0; i < spec_.depends_on_size(); ++i) {
      const std::string& dependency = spec_.depends_on(i);
      const int line = lines_.depends_on[static_cast<size_t>(i)];
      if (dependency == spec_.id()) return Error(line, "mapping depends on itself");
      if (!dependencies.insert(dependency).second) {
        return Error(line, "dependency '" + dependency + "' is listed twice");
      }
    }
    return Status::Ok();
  }

  const MappingDefinition& mapping_;
  const v1::EntityMapping& spec_;
  const MappingLines& lines_;
  std::set<std::string> field_names_;
  std::set<std::string> key_names_;
  std::set<std::string> choice_ids_;
};

// Orders mappings so that dependencies come first; reports a cycle with the
// ids on it.
Result<std::vector<MappingDefinition>> OrderByDependencies(std::vector<MappingDefinition> mappings) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < mappings.size(); ++i) index.emplace(mappings[i].id(), i);
  // 0 = unvisited, 1 = on the current path, 2 = done.
  std::vector<int> mark(mappings.size(), 0);
  std::vector<size_t> order;
  std::vector<std::string> path;
  Status cycle;
  // Depth-first, visiting ids and dependencies in sorted order for a stable
  // result.
  std::function<bool(size_t)> visit = [&](size_t i) {
    if (mark[i] == 2) return true;
    const MappingDefinition& mapping = mappings[i];
    if (mark[i] == 1) {
      std::string chain;
      const auto start = std::find(path.begin(), path.end(), mapping.id());
      for (auto it = start; it != path.end(); ++it) chain += *it + " -> ";
      chain += mapping.id();
      cycle = InvalidArgumentError(mapping.Where(mapping.lines.depends_on.empty()
                                                     ? mapping.lines.id
                                                     : mapping.lines.depends_on.front()) +
                                   ": dependency cycle: " + chain);
      return false;
    }
    mark[i] = 1;
    path.push_back(mapping.id());
    std::vector<std::string> dependencies(mapping.spec.depends_on().begin(),
                                          mapping.spec.depends_on().end());
    std::sort(dependencies.begin(), dependencies.end());
    for (const std::string& dependency : dependencies) {
      if (!visit(index.at(dependency))) return false;
    }
    path.pop_back();
    mark[i] = 2;
    order.push_back(i);
    return true;
  };
  for (size_t i = 0; i < mappings.size(); ++i) {
    if (!visit(i)) return cycle;
  }
  std::vector<MappingDefinition> ordered;
  ordered.reserve(mappings.size());
  for (size_t i : order) ordered.push_back(std::move(mappings[i]));
  return ordered;
}

}  // namespace

Result<MappingDefinition> LoadMappingFile(const std::string& path) {
  ERPSYNC_ASSIGN_OR_RETURN(const std::string text, ReadSmallFile(path));
  MappingDefinition mapping;
  mapping.path = path;
  pb::TextFormat::Parser parser;
  pb::TextFormat::ParseInfoTree tree;
  FirstErrorCollector errors;
  parser.WriteLocationsTo(&tree);
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &mapping.spec)) {
    return InvalidArgumentError(path + ":" + std::to_string(std::max(errors.line_, 1)) + ":" +
                                std::to_string(errors.column_) + ": " + errors.message_);
  }
  mapping.lines = CollectLines(tree, mapping.spec);
  ERPSYNC_RETURN_IF_ERROR(MappingChecker(mapping).Check());
  return mapping;
}

Result<Catalog> LoadCatalog(const std::string& directory) {
  std::error_code error;
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".textproto") {
      paths.push_back(entry.path().string());
    }
  }
  if (error) {
    return NotFoundError("cannot read mappings directory " + directory + ": " + error.message());
  }
  if (paths.empty()) return NotFoundError("no *.textproto mapping files in " + directory);
  std::sort(paths.begin(), paths.end());

  std::vector<MappingDefinition> mappings;
  std::map<std::string, std::string> seen;
  for (const std::string& path : paths) {
    ERPSYNC_ASSIGN_OR_RETURN(MappingDefinition mapping, LoadMappingFile(path));
    if (const auto [it, inserted] = seen.emplace(mapping.id(), path); !inserted) {
      return InvalidArgumentError(mapping.Where(mapping.lines.id) + ": duplicate id '" +
                                  mapping.id() + "' (also in " + it->second + ")");
    }
    mappings.push_back(std::move(mapping));
  }
  for (const MappingDefinition& mapping : mappings) {
    for (int i = 0; i < mapping.spec.depends_on_size(); ++i) {
      const std::string& dependency = mapping.spec.depends_on(i);
      if (seen.count(dependency) == 0) {
        return InvalidArgumentError(mapping.Where(mapping.lines.depends_on[static_cast<size_t>(i)]) +
                                    ": depends on unknown mapping '" + dependency + "'");
      }
    }
  }
  ERPSYNC_ASSIGN_OR_RETURN(std::vector<MappingDefinition> ordered,
                           OrderByDependencies(std::move(mappings)));
  return Catalog(directory, std::move(ordered));
}

}  // namespace erpsync::agent
