#include "ctl/records_commands.h"

#include <iostream>

#include "common/command_line.h"
#include "common/entity_checksum.h"
#include "common/exit_code.h"
#include "common/human_format.h"
#include "common/json_writer.h"
#include "ctl/client/ctl_client.h"
#include "erpsync/v1/records.pb.h"

namespace erpsync::ctl {
namespace po = boost::program_options;
namespace {

std::string ValueText(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kText: return value.text();
    case v1::Value::kInteger: return std::to_string(value.integer());
    case v1::Value::kDecimal: return value.decimal();
    case v1::Value::kDate: return value.date();
    case v1::Value::kBoolean: return value.boolean() ? "true" : "false";
    case v1::Value::kTimestamp: return value.timestamp();
    case v1::Value::KIND_NOT_SET: break;
  }
  return "";
}

void WriteJsonValue(const v1::Value& value, JsonWriter* json) {
  switch (value.kind_case()) {
    case v1::Value::kInteger: json->Int(value.integer()); return;
    case v1::Value::kBoolean: json->Bool(value.boolean()); return;
    case v1::Value::KIND_NOT_SET: json->Null(); return;
    default: json->String(ValueText(value));  // decimals stay exact as text
  }
}

// Parses a records command; returns false with *exit_code set when done.
bool Load(const std::string& usage, po::options_description& description,
          const std::vector<std::string>& args, OptionsLoader* loader, int* exit_code) {
  AddConnectionOptions(&description);
  description.add_options()("connection", po::value<std::string>()->default_value(""),
                            "ERP connection (needed when the company has several)");
  return ParseCommandOptions(usage, description, nullptr, args, loader, exit_code);
}

void WriteJsonFigures(const v1::EntityFigures& figures, JsonWriter* json) {
  json->BeginObject();
  json->Field("count", figures.record_count());
  json->Field("deleted", figures.deleted_count());
  json->Field("checksum", FormatChecksum(figures.checksum()));
  json->EndObject();
}

// "live count: stored 3, recomputed 2; checksum: ..." for the figures that
// differ.
std::string DriftText(const v1::EntityVerification& row) {
  std::string text;
  auto add = [&](const std::string& figure, const std::string& stored,
                 const std::string& recomputed) {
    if (stored == recomputed) return;
    if (!text.empty()) text += "; ";
    text += figure + ": stored " + stored + ", recomputed " + recomputed;
  };
  add("live count", std::to_string(row.stored().record_count()),
      std::to_string(row.recomputed().record_count()));
  add("deleted count", std::to_string(row.stored().deleted_count()),
      std::to_string(row.recomputed().deleted_count()));
  add("checksum", FormatChecksum(row.stored().checksum()),
      FormatChecksum(row.recomputed().checksum()));
  return text;
}

// records checksum --verify: the server recomputes the figures from the
// rows; exit 1 when any entity drifted.
int PrintVerification(const OptionsLoader& loader, const CtlClient& client) {
  v1::VerifyEntitiesRequest request;
  request.set_connection(loader.Get<std::string>("connection"));
  if (loader.Has("entity")) request.set_entity_id(loader.Get<std::string>("entity"));
  v1::VerifyEntitiesResponse response;
  const Status status = client.VerifyEntities(request, &response);
  if (!status.ok()) return ReportFailure(kCtlProgram, status);
  int drifted = 0;
  for (const v1::EntityVerification& row : response.entities()) drifted += row.agrees() ? 0 : 1;
  if (client.json()) {
    JsonWriter json;
    json.BeginObject();
    json.Field("connection", response.connection());
    json.Key("entities");
    json.BeginArray();
    for (const v1::EntityVerification& row : response.entities()) {
      json.BeginObject();
      json.Field("id", row.entity_id());
      json.Field("agrees", row.agrees());
      json.Key("stored");
      WriteJsonFigures(row.stored(), &json);
      json.Key("recomputed");
      WriteJsonFigures(row.recomputed(), &json);
      json.EndObject();
    }
    json.EndArray();
    json.Field("drifted", drifted);
    json.EndObject();
    std::cout << json.str() << "\n";
  } else {
    for (const v1::EntityVerification& row : response.entities()) {
      std::string name = row.entity_id();
      name.resize(std::max<size_t>(name.size() + 1, 32), ' ');
      std::cout << name << WithThousands(row.recomputed().record_count()) << "  "
                << FormatChecksum(row.recomputed().checksum()) << "  "
                << (row.agrees() ? "ok" : "DRIFT: " + DriftText(row)) << "\n";
    }
    std::cout << response.entities_size() << " entit" << (response.entities_size() == 1 ? "y" : "ies")
              << " of " << response.connection() << " verified, " << drifted << " drifted\n";
  }
  if (drifted > 0) {
    std::cerr << kCtlProgram << ": the stored totals of " << drifted << " entit"
              << (drifted == 1 ? "y have" : "ies have")
              << " drifted from the records; an operator can repair them with `erpsync-server "
                 "store verify --repair`\n";
    return kExitFailure;
  }
  return kExitOk;
}

// Entity checksums for the named entity, or for every entity.
int PrintChecksums(const std::vector<std::string>& args, bool count_only) {
  po::options_description description(count_only ? "records count options" : "records checksum options");
  description.add_options()("entity", po::value<std::string>(), "mapping id, e.g. jc_transaction");
  if (!count_only) {
    description.add_options()("verify", po::bool_switch(),
                              "recompute counts and checksums from the stored records and report "
                              "drift (Admin; a full scan)");
  }
  OptionsLoader loader(&description);
  int exit_code = 0;
  if (!Load(count_only ? "erpsync-ctl records count [--entity ID] [--json]"
                       : "erpsync-ctl records checksum [--entity ID] [--verify] [--json]",
            description, args, &loader, &exit_code)) {
    return exit_code;
  }
  Result<CtlClient> client = CtlClient::FromOptions(loader);
  if (!client.ok()) return CtlClient::ReportOptionsFailure(client.status());
  if (!count_only && loader.Get<bool>("verify")) return PrintVerification(loader, *client);
  std::vector<v1::EntityChecksum> rows;
  if (loader.Has("entity")) {
    v1::GetEntityChecksumRequest request;
    request.set_connection(loader.Get<std::string>("connection"));
    request.set_entity_id(loader.Get<std::string>("entity"));
    v1::EntityChecksum response;
    const Status status = client->GetEntityChecksum(request, &response);
    if (!status.ok()) return ReportFailure(kCtlProgram, status);
    rows.push_back(response);
  } else {
    v1::ListEntitiesRequest request;
    request.set_connection(loader.Get<std::string>("connection"));
    v1::ListEntitiesResponse response;
    const Status status = client->ListEntities(request, &response);
    if (!status.ok()) return ReportFailure(kCtlProgram, status);
    for (const v1::EntitySummary& summary : response.entities()) {
      v1::EntityChecksum row;
      row.set_entity_id(summary.schema().entity_id());
      row.set_record_count(summary.record_count());
      row.set_checksum(summary.checksum());
      rows.push_back(row);
    }
  }
  if (client->json()) {
    JsonWriter json;
    json.BeginObject();
    json.Key("entities");
    json.BeginArray();
    for (const v1::EntityChecksum& row : rows) {
      json.BeginObject();
      json.Field("id", row.entity_id());
      json.Field("count", row.record_count());
      if (!count_only) {
        json.Field("checksum", FormatChecksum(row.checksum()));
      }
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
    std::cout << json.str() << "\n";
    return kExitOk;
  }
  for (const v1::EntityChecksum& row : rows) {
    if (loader.Has("entity") && count_only) {
      std::cout << row.record_count() << "\n";
      continue;
    }
    std::string name = row.entity_id();
    name.resize(std::max<size_t>(name.size() + 1, 32), ' ');
    std::cout << name << WithThousands(row.record_count());
    if (!count_only) std::cout << "  " << FormatChecksum(row.checksum());
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

int RecordsCountCommand(const std::vector<std::string>& args) { return PrintChecksums(args, true); }

int RecordsChecksumCommand(const std::vector<std::string>& args) {
  return PrintChecksums(args, false);
}

int EntitiesListCommand(const std::vector<std::string>& args) { return PrintChecksums(args, false); }

int RecordsListCommand(const std::vector<std::string>& args) {
  po::options_description description("records list options");
  description.add_options()
      ("entity", po::value<std::string>()->required(), "mapping id, e.g. jc_job")
      ("limit", po::value<int>()->default_value(20), "records to print (0: all)")
      ("after", po::value<std::string>()->default_value(""), "start after this record key")
      ("include-deleted", po::bool_switch(), "also list records deleted in the ERP");
  OptionsLoader loader(&description);
  int exit_code = 0;
  if (!Load("erpsync-ctl records list --entity ID [--limit N] [--after KEY] [--include-deleted] "
            "[--json]",
            description, args, &loader, &exit_code)) {
    return exit_code;
  }
  const int limit = loader.Get<int>("limit");
  if (limit < 0) return ReportUsageError(kCtlProgram, "records list: --limit must not be negative");
  Result<CtlClient> client = CtlClient::FromOptions(loader);
  if (!client.ok()) return CtlClient::ReportOptionsFailure(client.status());
  v1::ListRecordsRequest request;
  request.set_connection(loader.Get<std::string>("connection"));
  request.set_entity_id(loader.Get<std::string>("entity"));
  request.set_include_deleted(loader.Get<bool>("include-deleted"));
  request.set_start_after_key(loader.Get<std::string>("after"));
  JsonWriter json;
  json.BeginObject();
  json.Key("records");
  json.BeginArray();
  int printed = 0;
  bool header = false;
  while (true) {
    const int remaining = limit == 0 ? 1000 : std::min(1000, limit - printed);
    if (remaining <= 0) break;
    request.set_page_size(static_cast<uint32_t>(remaining));
    v1::ListRecordsResponse response;
    const Status status = client->ListRecords(request, &response);
    if (!status.ok()) return ReportFailure(kCtlProgram, status);
    const auto& fields = response.schema().fields();
    if (!client->json() && !header) {
      std::cout << "key";
      for (const v1::FieldSpec& field : fields) std::cout << "\t" << field.name();
      std::cout << "\n";
      header = true;
    }
    for (const v1::MirroredRecord& record : response.records()) {
      ++printed;
      if (client->json()) {
        json.BeginObject();
        json.Field("key", record.key());
        json.Field("deleted", record.deleted());
        json.Key("values");
        json.BeginObject();
        for (int i = 0; i < record.values_size() && i < fields.size(); ++i) {
          json.Key(fields[i].name());
          WriteJsonValue(record.values(i), &json);
        }
        json.EndObject();
        json.EndObject();
      } else {
        std::cout << record.key() << (record.deleted() ? " (deleted)" : "");
        for (const v1::Value& value : record.values()) std::cout << "\t" << ValueText(value);
        std::cout << "\n";
      }
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  json.EndArray();
  json.EndObject();
  if (client->json()) std::cout << json.str() << "\n";
  return kExitOk;
}

}  // namespace erpsync::ctl
