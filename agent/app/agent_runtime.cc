#include "agent/app/agent_runtime.h"

#include "agent/erp/odbc_erp_source.h"
#include "agent/erp/odbc_erp_writer.h"
#include "agent/erp/sqlite_erp_source.h"
#include "agent/erp/sqlite_erp_writer.h"
#include "agent/mapping/catalog_loader.h"
#include "agent/mapping/erp_check.h"
#include "agent/state/effective_settings.h"

namespace erpsync::agent {

Status CheckErpConfigured(const AgentConfig& config) {
  if (config.erp_kind == "odbc" && config.odbc_connection.empty()) {
    return InvalidArgumentError("erp.kind is odbc but erp.odbc_connection is not set");
  }
  if (config.erp_kind != "odbc" && config.erp_path.empty()) {
    return InvalidArgumentError("erp.path is not set: name the company database file "
                                "(`erpsync-agent sample-erp create --out PATH` makes one)");
  }
  return Status::Ok();
}

Result<std::unique_ptr<ErpSource>> OpenErpSource(const AgentConfig& config) {
  ERPSYNC_RETURN_IF_ERROR(CheckErpConfigured(config));
  if (config.erp_kind == "odbc") {
    ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<OdbcErpSource> source,
                             OdbcErpSource::Connect(config.odbc_connection, config.text_encoding));
    return std::unique_ptr<ErpSource>(std::move(source));
  }
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<SqliteErpSource> source,
                           SqliteErpSource::Open(config.erp_path, config.text_encoding));
  return std::unique_ptr<ErpSource>(std::move(source));
}

Result<AgentRuntime> OpenAgentRuntime(const AgentConfig& config, bool with_erp) {
  AgentRuntime runtime;
  runtime.config = config;
  ERPSYNC_ASSIGN_OR_RETURN(runtime.catalog, LoadCatalog(config.mappings_dir));
  ERPSYNC_ASSIGN_OR_RETURN(runtime.state, StateStore::Open(config.state_dir));
  if (!with_erp) return runtime;
  ERPSYNC_ASSIGN_OR_RETURN(runtime.erp, OpenErpSource(config));
  for (const MappingDefinition& mapping : runtime.catalog.mappings()) {
    ERPSYNC_ASSIGN_OR_RETURN(const MappingSettings settings,
                             EffectiveSettings(*runtime.state, mapping));
    if (settings.enabled) ERPSYNC_RETURN_IF_ERROR(CheckMappingAgainstErp(mapping, *runtime.erp));
  }
  return runtime;
}

Result<std::unique_ptr<ErpWriter>> OpenErpWriter(const AgentConfig& config, const Clock* clock) {
  if (config.erp_kind == "odbc") return std::unique_ptr<ErpWriter>(new OdbcErpWriter());
  ERPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<SqliteErpWriter> writer,
                           SqliteErpWriter::Open(config.erp_path, clock));
  return std::unique_ptr<ErpWriter>(std::move(writer));
}

}  // namespace erpsync::agent
