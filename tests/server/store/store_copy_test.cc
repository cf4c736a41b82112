// CopySqliteStore (`erpsync-server store copy`): a SQLite store filled
// through the store APIs, copied into a fresh PostgreSQL database, reads the
// same through every store API on both; the copy carries on (ids, passes);
// a non-empty target, a source whose rows do not all copy and a source with
// drifted figures are refused or reported; and the copy's table list
// covers both schemas.
#include "server/store/copy/store_copy.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/secret_token.h"
#include "server/store/copy/copied_tables.h"
#include "server/store/postgres/pg_connection.h"
#include "tests/server/store/store_test_util.h"
#include "tests/support/sqlite_exec.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_postgres.h"

namespace erpsync::server {
namespace {

using testing::DeletedRecord;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::JobRecord;
using testing::JobSchema;
using testing::kStartUnix;
using testing::TestRecord;
using testing::Views;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const char c : bytes) {
    hex += kDigits[static_cast<unsigned char>(c) >> 4];
    hex += kDigits[static_cast<unsigned char>(c) & 0xF];
  }
  return hex;
}

// Every store read below is turned into text, so that one EXPECT_EQ
// compares the SQLite store's answer with the PostgreSQL store's.
template <typename T>
std::string Dump(const Result<T>& result);

std::string Dump(const Company& company) {
  return std::to_string(company.id) + " " + company.name + " " +
         std::to_string(company.created_unix);
}
std::string Dump(const Connection& connection) {
  return std::to_string(connection.id) + " " + std::to_string(connection.company_id) + " " +
         connection.name;
}
std::string Dump(const AgentInfo& agent) {
  std::ostringstream out;
  out << agent.id << " " << agent.company_id << " " << agent.company_name << " "
      << agent.connection_name << " " << agent.description << " " << agent.created_unix << " "
      << agent.last_seen_unix << " " << agent.hostname << " " << agent.version << " "
      << agent.revoked;
  return out.str();
}
std::string Dump(const UserInfo& user) {
  std::ostringstream out;
  out << user.id << " " << user.company_id << " " << user.company_name << " " << user.name << " "
      << user.email << " " << static_cast<int>(user.level) << " " << user.can_push_to_accounting
      << " " << user.created_unix << " " << user.revoked;
  return out.str();
}
std::string Dump(const Principal& principal) {
  std::ostringstream out;
  out << static_cast<int>(principal.kind) << " " << principal.id << " " << principal.company_id
      << " " << principal.company_name << " " << principal.connection_id << " "
      << principal.connection_name << " " << principal.user_name << " " << principal.email << " "
      << static_cast<int>(principal.level) << " " << principal.can_push_to_accounting;
  return out.str();
}
std::string Dump(const AuditEntry& entry) {
  std::ostringstream out;
  out << entry.id << " " << entry.at_unix << " " << entry.actor << " " << entry.action << " "
      << entry.target_kind << " " << entry.target_id << " " << entry.company_id << " "
      << entry.company_name << " " << entry.old_value << " " << entry.new_value;
  return out.str();
}
std::string Dump(const EntityState& entity) {
  std::ostringstream out;
  out << entity.id << " " << entity.connection_id << " " << entity.entity_id << " "
      << entity.schema_id << " " << entity.schema.fingerprint() << " " << entity.generation << " "
      << entity.open_pass << " " << entity.live_count << " " << entity.deleted_count << " "
      << entity.checksum << " " << entity.last_synced_unix;
  return out.str();
}
std::string Dump(const RecordSchema& schema) {
  return schema.entity_id() + " " + std::to_string(schema.fingerprint()) + " " +
         std::to_string(schema.fields().size());
}
std::string Dump(const StoredRecord& record) {
  std::ostringstream out;
  out << record.key << " " << record.schema_id << " " << Hex(record.values) << " "
      << record.content_hash << " " << record.generation << " " << record.deleted << " "
      << record.updated_unix;
  return out.str();
}
std::string Dump(const RecordPage& page) {
  std::string text;
  for (const StoredRecord& record : page.records) text += Dump(record) + "\n";
  return text + "next " + page.next_after_key;
}
std::string Dump(const EntityCheck& check) {
  return Dump(check.entity) + " stored " + std::to_string(check.stored.checksum) + " recomputed " +
         std::to_string(check.recomputed.live_count) + "/" +
         std::to_string(check.recomputed.deleted_count) + "/" +
         std::to_string(check.recomputed.checksum);
}
std::string Dump(const ApprovalItem& item) {
  std::ostringstream out;
  out << item.id << " " << item.company_id << " " << item.connection_id << " "
      << item.connection_name << " " << item.type << " " << item.project_id << " " << item.state
      << " " << item.origin << " " << item.archived << " " << item.budget_locked << " "
      << item.resent << " " << item.version << " " << item.title << " "
      << Hex(item.content.SerializeAsString()) << " " << item.erp_ref << " " << item.erp_key
      << " [";
  for (const std::string& key : item.erp_keys) out << key << ";";
  out << "] " << item.erp_message << " " << item.decision_comment << " " << item.accepted_by << " "
      << item.created_by << " " << item.created_by_name << " " << item.created_unix << " "
      << item.updated_unix << " " << item.queued_unix << " " << item.delivered_version;
  return out.str();
}
std::string Dump(const ItemPage& page) {
  std::string text;
  for (const ApprovalItem& item : page.items) text += Dump(item) + "\n";
  return text + "next " + std::to_string(page.next_before_id);
}
std::string Dump(const HistoryRow& row) {
  std::ostringstream out;
  out << row.version << " " << row.action << " " << row.from_state << " " << row.to_state << " "
      << row.actor_user_id << " " << row.actor << " " << row.comment << " " << row.created_unix;
  return out.str();
}
std::string Dump(const MailRecipient& recipient) {
  std::ostringstream out;
  out << recipient.user_id << " " << recipient.name << " " << recipient.email << " "
      << recipient.approver << " " << recipient.on_send << " " << recipient.on_reject << " "
      << recipient.daily_digest;
  return out.str();
}
std::string Dump(const OutboxMessage& message) {
  std::ostringstream out;
  out << message.id << " " << message.company_id << " " << message.item_id << " " << message.kind
      << " " << message.recipient << " " << message.subject << " " << message.body << " "
      << message.created_unix << " " << message.attempts << " " << message.next_attempt_unix << " "
      << message.delivered_unix << " " << message.last_error;
  return out.str();
}
std::string Dump(const SyncRequestRow& request) {
  std::ostringstream out;
  out << request.id << " " << request.connection_id << " [";
  for (const std::string& id : request.entity_ids) out << id << ";";
  out << "] " << request.deep << " " << request.since << " " << request.requested_by << " "
      << SyncRequestStateName(request.state) << " " << request.message << " "
      << request.created_unix << " " << request.updated_unix;
  return out.str();
}
std::string Dump(const AgentRow& agent) {
  std::ostringstream out;
  out << agent.agent_id << " " << agent.connection_id << " " << agent.connection << " "
      << agent.description << " " << agent.hostname << " " << agent.version << " "
      << agent.last_seen_unix << " " << Hex(agent.status) << " " << agent.status_unix;
  return out.str();
}
std::string Dump(const std::string& text) { return text; }
std::string Dump(int64_t value) { return std::to_string(value); }
std::string Dump(v1::ItemType type) { return v1::ItemType_Name(type); }
template <typename T>
std::string Dump(const std::optional<T>& value) {
  return value.has_value() ? Dump(*value) : "none";
}
template <typename T>
std::string Dump(const std::vector<T>& values) {
  std::string text;
  for (const T& value : values) text += Dump(value) + "\n";
  return text;
}
template <typename T>
std::string Dump(const std::set<T>& values) {
  return Dump(std::vector<T>(values.begin(), values.end()));
}
template <typename T>
std::string Dump(const Result<T>& result) {
  return result.ok() ? Dump(*result) : "error " + result.status().ToString();
}

// Every read of every store API over what the fixture writes, as text.
std::vector<std::string> ReadEverything(Store& store,
                                        const std::vector<std::string>& token_hashes) {
  std::vector<std::string> reads;
  const auto read = [&](const std::string& what, const std::string& text) {
    reads.push_back(what + ":\n" + text);
  };
  DirectoryStore& directory = store.directory();
  RecordStore& records = store.records();
  ApprovalStore& approvals = store.approvals();
  const Result<std::vector<Company>> companies = directory.ListCompanies();
  read("companies", Dump(companies));
  read("agents", Dump(directory.ListAgents(std::nullopt)));
  read("users", Dump(directory.ListUsers(std::nullopt)));
  read("audit", Dump(directory.ListAudit(std::nullopt)));
  for (const std::string& hash : token_hashes)
    read("principal", Dump(directory.FindPrincipal(hash)));
  std::set<int64_t> schema_ids;
  for (const Company& company : companies.ok() ? *companies : std::vector<Company>{}) {
    read("company", Dump(directory.FindCompany(company.name)));
    const Result<std::vector<Connection>> connections = directory.ListConnections(company.id);
    read("connections", Dump(connections));
    read("agent control agents", Dump(store.agent_control().ListAgents(company.id)));
    for (const Connection& connection : *connections) {
      read("connection", Dump(directory.GetConnection(connection.id)));
      read("open sync requests", Dump(store.agent_control().OpenSyncRequests(connection.id)));
      read("queued exports", Dump(approvals.ListQueuedExports(connection.id, true, 1000)));
      const Result<std::vector<EntityState>> entities = records.ListEntities(connection.id);
      read("entities", Dump(entities));
      for (const EntityState& entity : *entities) {
        schema_ids.insert(entity.schema_id);
        read("entity", Dump(records.GetEntity(connection.id, entity.entity_id)));
        read("check", Dump(records.CheckEntity(entity.id)));
        std::string after;
        do {
          const Result<RecordPage> page = records.ListRecords(entity.id, after, 700, true);
          read("records after " + after, Dump(page));
          after = page.ok() ? page->next_after_key : "";
          if (page.ok()) {
            for (const StoredRecord& record : page->records) schema_ids.insert(record.schema_id);
          }
        } while (!after.empty());
        read("live page", Dump(records.ListRecords(entity.id, "", 5, false)));
        read("record 10", Dump(records.GetRecord(entity.id, "10")));
        read("record abc", Dump(records.GetRecord(entity.id, "abc")));
        for (const v1::ItemType type : {v1::JOB, v1::COMMITMENT}) {
          read("linked keys", Dump(approvals.LinkedKeys(connection.id, type)));
          read("by erp key", Dump(approvals.FindByErpKey(connection.id, type, "24-101")));
        }
      }
    }
    ItemFilter all;
    all.limit = 1000;
    const Result<ItemPage> items = approvals.ListItems(company.id, all);
    read("items", Dump(items));
    for (const ApprovalItem& item : items->items) {
      read("item", Dump(approvals.GetItem(company.id, item.id)));
      read("item by id", Dump(approvals.GetItemById(item.id)));
      read("history", Dump(approvals.GetHistory(company.id, item.id)));
    }
    read("direct export", Dump(approvals.DirectExportTypes(company.id)));
    const Result<std::vector<MailRecipient>> recipients = approvals.ListRecipients(company.id);
    read("recipients", Dump(recipients));
    for (const MailRecipient& recipient : *recipients) {
      read("recipient", Dump(approvals.GetRecipient(company.id, recipient.user_id)));
    }
  }
  for (const int64_t schema_id : schema_ids) {
    read("schema " + std::to_string(schema_id), Dump(records.GetSchema(schema_id)));
  }
  read("outbox", Dump(store.outbox().List(true)));
  read("undelivered", Dump(store.outbox().List(false)));
  read("last digest", Dump(store.outbox().LastDigestDate()));
  read("next due", Dump(store.outbox().NextDueUnix()));
  return reads;
}

class StoreCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions sqlite_options;
    sqlite_options.clock = [this] { return now_; };
    ASSERT_OK_AND_ASSIGN(sqlite_, SqliteStore::Open(dir_.File("server.db"), sqlite_options));
    ASSERT_OK_AND_ASSIGN(erpsync::testing::TestPostgresDatabase database,
                         erpsync::testing::TestPostgresDatabase::Create());
    database_.emplace(std::move(database));
    ASSERT_OK_AND_ASSIGN(postgres_, PostgresStore::Open(PgOptions(), /*create=*/true));
  }

  PostgresOptions PgOptions() {
    PostgresOptions options;
    options.dsn = database_->dsn();
    options.clock = [this] { return now_; };
    return options;
  }

  // Runs `sql` on the PostgreSQL database behind the store's back.
  void ExecPostgres(const std::string& sql) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgConnection> connection,
                         PgConnection::Connect(database_->dsn()));
    ASSERT_OK(connection->ExecScript("test SQL", sql));
  }

  int64_t PostgresCount(const std::string& table) {
    Result<std::unique_ptr<PgConnection>> connection = PgConnection::Connect(database_->dsn());
    EXPECT_OK(connection);
    if (!connection.ok()) return -1;
    Result<PgResult> count = (*connection)->Exec("counting", "SELECT count(*) FROM " + table);
    EXPECT_OK(count);
    return count.ok() ? count->Int(0, 0) : -1;
  }

  static std::vector<TestRecord> Jobs(const RecordSchema& schema, int first, int count,
                                      const std::string& description) {
    std::vector<TestRecord> batch;
    for (int i = first; i < first + count; ++i) {
      batch.push_back(JobRecord(schema, std::to_string(i), description + std::to_string(i), i));
    }
    return batch;
  }

  // Fills the SQLite store through its APIs with a bit of everything.
  void Fill() {
    DirectoryStore& directory = sqlite_->directory();
    RecordStore& records = sqlite_->records();
    ApprovalStore& approvals = sqlite_->approvals();
    OutboxStore& outbox = sqlite_->outbox();
    AgentControlStore& control = sqlite_->agent_control();
    for (const char* token :
         {"agent-1", "agent-2", "agent-2b", "agent-3", "ann", "bob", "gus", "gia", "nobody"}) {
      token_hashes_.push_back(HashSecretToken(token));
    }
    const Company acme = *directory.AddCompany("Acme Builders");
    now_ += 10;
    const Company globex = *directory.AddCompany("Globex");
    ASSERT_OK(directory.AddCompany("Empty Co"));
    ASSERT_OK_AND_ASSIGN(const int64_t agent_1,
                         directory.AddAgent(acme.id, "sage300", token_hashes_[0], "host a"));
    ASSERT_OK_AND_ASSIGN(const int64_t agent_2,
                         directory.AddAgent(acme.id, "second", token_hashes_[1], "host b"));
    ASSERT_OK_AND_ASSIGN(const int64_t agent_3,
                         directory.AddAgent(globex.id, "sage300", token_hashes_[3], ""));
    now_ += 5;
    ASSERT_OK(directory.TouchAgent(agent_1, "erp-host", "1.2.3"));
    ASSERT_OK(directory.RotateAgentToken(agent_2, token_hashes_[2], "root"));
    ASSERT_OK(directory.RevokeAgent(agent_3, "root"));
    ASSERT_OK_AND_ASSIGN(
        const int64_t ann,
        directory.AddUser(acme.id, NewUser{"ann", "ann@acme.test", ToolLevel::kStandard, true},
                          token_hashes_[4]));
    ASSERT_OK_AND_ASSIGN(const int64_t bob,
                         directory.AddUser(acme.id, NewUser{"bob", "", ToolLevel::kReadOnly, false},
                                           token_hashes_[5]));
    ASSERT_OK_AND_ASSIGN(
        const int64_t gus,
        directory.AddUser(globex.id, NewUser{"gus", "gus@globex.test", ToolLevel::kAdmin, false},
                          token_hashes_[6]));
    ASSERT_OK_AND_ASSIGN(
        const int64_t gia,
        directory.AddUser(globex.id, NewUser{"gia", "gia@globex.test", ToolLevel::kAdmin, true},
                          token_hashes_[7]));
    ASSERT_OK(directory.UpdateUser(bob, UserChange{ToolLevel::kStandard, true}, "root"));
    ASSERT_OK(directory.RevokeUser(gus, "root"));
    const int64_t acme_sage = directory.FindConnection(acme.id, "sage300")->id;
    const int64_t acme_second = directory.FindConnection(acme.id, "second")->id;
    const int64_t globex_sage = directory.FindConnection(globex.id, "sage300")->id;

    // Records: integer and text keys, deletions, a second schema version,
    // and an entity with a full pass still open.
    const RecordSchema job_schema = JobSchema("jc_job");
    ASSERT_OK_AND_ASSIGN(const EntityState job, records.OpenEntity(acme_sage, job_schema));
    ASSERT_OK_AND_ASSIGN(const uint64_t job_pass, records.BeginPass(job.id));
    std::vector<TestRecord> batch = Jobs(job_schema, -3, 20, "job ");
    for (const char* key :
         {"007", "16-001", "abc", "tab\there", "back\\slash", "ünï", "9223372036854775807"}) {
      batch.push_back(JobRecord(job_schema, key, std::string("text key ") + key, 1));
    }
    ASSERT_OK(records.ApplyBatch(job.id, job.schema_id, Views(batch)));
    ASSERT_OK(records.ClosePass(job.id, job_pass));
    now_ += 60;
    ASSERT_OK(records.ApplyBatch(job.id, job.schema_id,
                                 Views({DeletedRecord("2"), DeletedRecord("abc"),
                                        JobRecord(job_schema, "10", "changed", 99)})));
    RecordSchema wider("jc_job", "Job (JC)", "JC",
                       {{"job", FieldType::kText, 0},
                        {"description", FieldType::kText, 0},
                        {"amount", FieldType::kMoney, 2},
                        {"status", FieldType::kText, 0}},
                       {"job"});
    ASSERT_OK(wider.Finalize());
    ASSERT_OK_AND_ASSIGN(const EntityState widened, records.OpenEntity(acme_sage, wider));
    ASSERT_NE(widened.schema_id, job.schema_id);
    ASSERT_OK(records.ApplyBatch(job.id, widened.schema_id, Views(Jobs(wider, 100, 5, "wide "))));

    const RecordSchema transaction_schema = JobSchema("jc_transaction");
    ASSERT_OK_AND_ASSIGN(const EntityState transactions,
                         records.OpenEntity(acme_sage, transaction_schema));
    ASSERT_OK(records.ApplyBatch(transactions.id, transactions.schema_id,
                                 Views(Jobs(transaction_schema, 1, 2500, "t"))));
    ASSERT_OK_AND_ASSIGN(open_pass_, records.BeginPass(transactions.id));
    ASSERT_OK(records.ApplyBatch(transactions.id, transactions.schema_id,
                                 Views(Jobs(transaction_schema, 1, 1200, "t"))));
    open_entity_ = transactions.id;
    open_schema_ = transactions.schema_id;

    const RecordSchema vendor_schema = JobSchema("vendor");
    ASSERT_OK_AND_ASSIGN(const EntityState vendors, records.OpenEntity(acme_second, vendor_schema));
    ASSERT_OK(
        records.ApplyBatch(vendors.id, vendors.schema_id,
                           Views({JobRecord(vendor_schema, "V-1", "one"),
                                  JobRecord(vendor_schema, "V-2", "two"), DeletedRecord("V-2")})));
    ASSERT_OK_AND_ASSIGN(const EntityState globex_jobs,
                         records.OpenEntity(globex_sage, JobSchema("jc_job")));
    ASSERT_OK(records.ApplyBatch(globex_jobs.id, globex_jobs.schema_id,
                                 Views(Jobs(JobSchema("jc_job"), 1, 3, "g"))));

    // Approval items with their history, settings and preferences.
    ApprovalItem project;
    project.company_id = acme.id;
    project.connection_id = acme_sage;
    project.type = v1::JOB;
    project.title = "Job 24-101";
    project.created_by = ann;
    project.erp_ref = "24-101";
    project.erp_key = "24-101";
    project.erp_keys = {"24-101", "with|bar"};
    project.content.mutable_job()->set_job("24-101");
    project.content.mutable_job()->set_description("Tab\there, line\nbreak");
    HistoryRow created;
    created.action = "create";
    created.to_state = v1::DRAFT;
    created.actor_user_id = ann;
    created.actor = "ann";
    ASSERT_OK_AND_ASSIGN(const ApprovalItem stored_project, approvals.InsertItem(project, created));
    ApprovalItem commitment;
    commitment.company_id = acme.id;
    commitment.connection_id = acme_sage;
    commitment.type = v1::COMMITMENT;
    commitment.project_id = stored_project.id;
    commitment.title = "PO 1";
    commitment.created_by = bob;
    commitment.content.mutable_commitment()->set_id("PO-1");
    ASSERT_OK_AND_ASSIGN(ApprovalItem stored_commitment, approvals.InsertItem(commitment, created));
    now_ += 30;
    stored_commitment.state = v1::SENT;
    stored_commitment.resent = true;
    stored_commitment.decision_comment = "please";
    HistoryRow sent;
    sent.action = "send";
    sent.from_state = v1::DRAFT;
    sent.to_state = v1::SENT;
    sent.actor_user_id = bob;
    sent.actor = "bob";
    sent.comment = "for review";
    OutgoingMail sent_mail{acme.id,         stored_commitment.id, "sent",
                           "ann@acme.test", "PO 1 was sent",      "Body\nwith lines\tand a tab\\"};
    ASSERT_OK(approvals.CommitChange(stored_commitment, sent, {sent_mail}));
    ApprovalItem vendor;
    vendor.company_id = globex.id;
    vendor.connection_id = globex_sage;
    vendor.type = v1::VENDOR;
    vendor.origin = v1::IMPORTED;
    vendor.archived = true;
    vendor.title = "Vendor";
    vendor.created_by = gia;
    ASSERT_OK(approvals.InsertItem(vendor, created));
    ASSERT_OK(approvals.SetDirectExport(acme.id, v1::COMMITMENT, true));
    ASSERT_OK(approvals.SetDirectExport(acme.id, v1::JOB, false));
    ASSERT_OK(approvals.SetPreferences(acme.id, ann, false, true, true));
    // No choice of the daily digest stored (NULL): bob, an approver, gets
    // it by default on either store.
    ASSERT_OK(approvals.SetPreferences(acme.id, bob, std::nullopt, false, std::nullopt));

    // The outbox: a mail of no company, a digest, one delivered, one failed.
    ASSERT_OK(outbox.Enqueue({OutgoingMail{0, 0, "system", "ops@acme.test", "Hello", "Body"}}));
    ASSERT_OK(outbox.EnqueueDigest(
        "2024-05-01", false,
        {OutgoingMail{acme.id, 0, "digest", "ann@acme.test", "Digest", "1 item"}}));
    ASSERT_OK_AND_ASSIGN(const std::vector<OutboxMessage> first, outbox.ClaimDue(1, 60));
    ASSERT_EQ(first.size(), 1u);
    ASSERT_OK(outbox.MarkDelivered(first[0].id));
    ASSERT_OK_AND_ASSIGN(const std::vector<OutboxMessage> second, outbox.ClaimDue(1, 60));
    ASSERT_EQ(second.size(), 1u);
    ASSERT_OK(outbox.MarkFailed(second[0].id, "relay down", now_ + 300));

    // The agents' control channel: requests queued in the same second
    // (their order is the queue's), one done; statuses of any bytes.
    std::vector<std::string> request_ids;
    for (const char* who : {"ann", "bob", "gia", "ann"}) {
      ASSERT_OK_AND_ASSIGN(
          const SyncRequestRow request,
          control.AddSyncRequest(acme_sage, {"jc_job", who}, who[0] == 'b', "week", who));
      request_ids.push_back(request.id);
    }
    ASSERT_OK(control.UpdateSyncRequest(acme_sage, request_ids[1], SyncRequestState::kDone, "ok"));
    ASSERT_OK(control.UpdateSyncRequest(acme_sage, request_ids[2], SyncRequestState::kSent, ""));
    ASSERT_OK(control.AddSyncRequest(globex_sage, {}, false, "", "gia"));
    ASSERT_OK(control.PutAgentStatus(agent_1, std::string("\x00\x01status\t\xff", 10)));
    ASSERT_OK(control.PutAgentStatus(agent_2, "second"));
    acme_ = acme.id;
    ann_ = ann;
    acme_sage_ = acme_sage;
  }

  erpsync::testing::TempDir dir_;
  int64_t now_ = kStartUnix;
  std::optional<erpsync::testing::TestPostgresDatabase> database_;
  std::unique_ptr<SqliteStore> sqlite_;
  std::unique_ptr<PostgresStore> postgres_;
  std::vector<std::string> token_hashes_;
  int64_t acme_ = 0;
  int64_t ann_ = 0;
  int64_t acme_sage_ = 0;
  int64_t open_entity_ = 0;
  int64_t open_schema_ = 0;
  uint64_t open_pass_ = 0;
};

TEST_F(StoreCopyTest, EveryStoreReadsTheSameOnPostgresqlAfterTheCopy) {
  ASSERT_NO_FATAL_FAILURE(Fill());
  std::vector<CopiedTableRows> progress;
  StoreCopyOptions options;
  options.on_table = [&](const CopiedTableRows& table) { progress.push_back(table); };
  ASSERT_OK_AND_ASSIGN(const StoreCopyReport report,
                       CopySqliteStore(*sqlite_, *postgres_, options));
  EXPECT_TRUE(report.verified()) << ::testing::PrintToString(report.differences);
  EXPECT_EQ(report.entities_verified, 4);
  std::map<std::string, int64_t> rows;
  int64_t total = 0;
  for (const CopiedTableRows& table : report.tables) {
    rows[table.table] = table.rows;
    total += table.rows;
  }
  EXPECT_EQ(report.rows, total);
  EXPECT_EQ(progress.size(), report.tables.size());
  EXPECT_EQ(rows.size(), store_copy::CopiedTables().size());
  EXPECT_EQ(rows["companies"], 3);
  EXPECT_EQ(rows["agents"], 3);
  EXPECT_EQ(rows["users"], 4);
  EXPECT_EQ(rows["erpsync_tokens"], 7);
  EXPECT_EQ(rows["entities"], 4);
  EXPECT_EQ(rows["schemas"], 5);
  EXPECT_EQ(rows["records"], 27 + 5 + 2500 + 2 + 3);
  EXPECT_EQ(rows["approval_items"], 3);
  EXPECT_EQ(rows["approval_history"], 4);
  EXPECT_EQ(rows["outbox"], 3);
  EXPECT_EQ(rows["sync_requests"], 5);
  EXPECT_EQ(rows["agent_status"], 2);
  EXPECT_EQ(rows["mail_state"], 1);
  EXPECT_EQ(rows["admin_audit"], 4);
  EXPECT_EQ(rows["notification_preferences"], 2);
  EXPECT_EQ(rows["approval_settings"], 2);

  const std::vector<std::string> on_sqlite = ReadEverything(*sqlite_, token_hashes_);
  const std::vector<std::string> on_postgres = ReadEverything(*postgres_, token_hashes_);
  ASSERT_EQ(on_sqlite.size(), on_postgres.size());
  for (size_t i = 0; i < on_sqlite.size(); ++i) EXPECT_EQ(on_postgres[i], on_sqlite[i]);
  // What was read is what was written (not two empty answers).
  EXPECT_THAT(on_postgres[0], HasSubstr("Acme Builders"));
  EXPECT_THAT(Dump(postgres_->directory().FindPrincipal(token_hashes_[0])), HasSubstr("sage300"));
}

TEST_F(StoreCopyTest, ThePostgresqlStoreCarriesOnWhereTheSqliteOneWas) {
  ASSERT_NO_FATAL_FAILURE(Fill());
  ASSERT_OK_AND_ASSIGN(const StoreCopyReport report, CopySqliteStore(*sqlite_, *postgres_));
  ASSERT_TRUE(report.verified()) << ::testing::PrintToString(report.differences);
  // The same writes on both give the same ids: every identity continues
  // after the largest id copied.
  for (Store* store : {static_cast<Store*>(sqlite_.get()), static_cast<Store*>(postgres_.get())}) {
    SCOPED_TRACE(store->Describe());
    DirectoryStore& directory = store->directory();
    EXPECT_EQ(directory.AddCompany("Newco")->id, 4);
    EXPECT_EQ(*directory.AddAgent(acme_, "third", HashSecretToken("agent-4"), ""), 4);
    EXPECT_EQ(*directory.AddUser(acme_, NewUser{"cy", "", ToolLevel::kNone, false},
                                 HashSecretToken("cy")),
              5);
    EXPECT_EQ(directory.FindConnection(acme_, "third")->id, 4);
    ApprovalItem item;
    item.company_id = acme_;
    item.connection_id = acme_sage_;
    item.type = v1::JOB;
    item.title = "another";
    item.created_by = ann_;
    HistoryRow history;
    history.action = "create";
    history.actor = "ann";
    EXPECT_EQ(store->approvals().InsertItem(item, history)->id, 4);
    ASSERT_OK(store->outbox().Enqueue({OutgoingMail{acme_, 0, "x", "a@b.test", "s", "b"}}));
    EXPECT_EQ(store->outbox().List(false)->back().id, 4);
    const RecordSchema schema = JobSchema("po");
    EXPECT_EQ(store->records().OpenEntity(acme_sage_, schema)->id, 5);
    EXPECT_EQ(store->records().OpenEntity(acme_sage_, schema)->schema_id, 6);
    // The open full pass goes on and closes the same way.
    ASSERT_OK(store->records().ResumePass(open_entity_, open_pass_));
    const RecordSchema transactions = JobSchema("jc_transaction");
    EXPECT_EQ(*store->records().ApplyBatch(open_entity_, open_schema_,
                                           Views(Jobs(transactions, 1190, 20, "t"))),
              (ApplyCounts{.inserted = 0, .updated = 0, .unchanged = 20}));
    EXPECT_EQ(*store->records().ClosePass(open_entity_, open_pass_), 2500u - 1209u);
    // The agents' tokens still find them.
    EXPECT_EQ(store->directory().FindPrincipal(token_hashes_[2])->id, 2);
    EXPECT_THAT(store->directory().FindPrincipal(token_hashes_[1]),
                StatusIs(StatusCode::kNotFound));
  }
  const std::vector<std::string> on_sqlite = ReadEverything(*sqlite_, token_hashes_);
  const std::vector<std::string> on_postgres = ReadEverything(*postgres_, token_hashes_);
  ASSERT_EQ(on_sqlite.size(), on_postgres.size());
  for (size_t i = 0; i < on_sqlite.size(); ++i) EXPECT_EQ(on_postgres[i], on_sqlite[i]);
}

TEST_F(StoreCopyTest, AnEmptyStoreCopiesToAnEmptyStore) {
  ASSERT_OK_AND_ASSIGN(const StoreCopyReport report, CopySqliteStore(*sqlite_, *postgres_));
  EXPECT_TRUE(report.verified());
  EXPECT_EQ(report.rows, 0);
  EXPECT_EQ(report.entities_verified, 0);
  // The first ids are 1 as on a new store.
  EXPECT_EQ(postgres_->directory().AddCompany("First")->id, 1);
}

TEST_F(StoreCopyTest, ATargetThatHoldsAnythingIsRefusedAndKeptAsItIs) {
  ASSERT_NO_FATAL_FAILURE(Fill());
  ASSERT_OK(postgres_->directory().AddCompany("Already here"));
  EXPECT_THAT(CopySqliteStore(*sqlite_, *postgres_),
              StatusIs(StatusCode::kFailedPrecondition,
                       ::testing::Eq("PostgreSQL " + postgres_->database().description() +
                                     " is not empty (its table companies has rows): `store copy` "
                                     "copies only into an empty database; nothing was written")));
  EXPECT_EQ(PostgresCount("companies"), 1);
  EXPECT_EQ(PostgresCount("records"), 0);
  // A mail of no company is something too.
  ExecPostgres("DELETE FROM companies");
  ASSERT_OK(postgres_->outbox().Enqueue({OutgoingMail{0, 0, "x", "a@b.test", "s", "b"}}));
  EXPECT_THAT(CopySqliteStore(*sqlite_, *postgres_),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("its table outbox has rows")));
  EXPECT_EQ(PostgresCount("companies"), 0);
  // And a second copy into the first copy's database.
  ExecPostgres("DELETE FROM outbox");
  ASSERT_OK_AND_ASSIGN(const StoreCopyReport report, CopySqliteStore(*sqlite_, *postgres_));
  ASSERT_TRUE(report.verified());
  EXPECT_THAT(CopySqliteStore(*sqlite_, *postgres_),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("companies has rows")));
  EXPECT_EQ(PostgresCount("records"), report.tables[7].rows);
}

TEST_F(StoreCopyTest, RowsThatCannotBeCopiedRollEverythingBack) {
  ASSERT_NO_FATAL_FAILURE(Fill());
  // A status of an agent that is gone, a preference of a user that is gone:
  // their company cannot be known, so they would be lost.
  erpsync::testing::ExecSql(
      dir_.File("server.db"),
      "INSERT INTO agent_status (agent_id, status, reported_unix) VALUES (99, x'00', 1);"
      "INSERT INTO notification_preferences VALUES (77, 1, 1, 0);");
  ASSERT_OK_AND_ASSIGN(const StoreCopyReport report, CopySqliteStore(*sqlite_, *postgres_));
  EXPECT_FALSE(report.committed);
  EXPECT_FALSE(report.verified());
  EXPECT_THAT(report.differences,
              ElementsAre("table agent_status: 3 rows in SQLite (agent_status), 2 in PostgreSQL",
                          "table notification_preferences: 3 rows in SQLite "
                          "(notification_preferences), 2 in PostgreSQL"));
  EXPECT_EQ(PostgresCount("companies"), 0);
  EXPECT_EQ(PostgresCount("records"), 0);
  EXPECT_EQ(postgres_->directory().AddCompany("First")->id, 1);
}

TEST_F(StoreCopyTest, RecordsOfAnUnknownEntityAreRefused) {
  ASSERT_NO_FATAL_FAILURE(Fill());
  erpsync::testing::ExecSql(dir_.File("server.db"),
                            "INSERT INTO records VALUES (42, 'k', 1, 0, 0, 0, 0, x'')");
  EXPECT_THAT(CopySqliteStore(*sqlite_, *postgres_),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("the SQLite store has records of entity 42, which it does not "
                                 "have")));
  EXPECT_EQ(PostgresCount("companies"), 0);
}

TEST_F(StoreCopyTest, FiguresThatDoNotRecomputeAreReportedPerEntity) {
  ASSERT_NO_FATAL_FAILURE(Fill());
  // The SQLite store drifted (changed behind its back): the copy keeps its
  // figures, and PostgreSQL's recomputation tells.
  erpsync::testing::ExecSql(
      dir_.File("server.db"),
      "UPDATE entities SET live_count = live_count + 1 WHERE entity_id = 'vendor'");
  ASSERT_OK_AND_ASSIGN(const StoreCopyReport report, CopySqliteStore(*sqlite_, *postgres_));
  EXPECT_TRUE(report.committed);
  EXPECT_FALSE(report.verified());
  EXPECT_EQ(report.entities_verified, 4);
  EXPECT_THAT(report.differences,
              ElementsAre("entity Acme Builders/second/vendor (id 3): live count: stored in "
                          "PostgreSQL 2, recomputed 1"));
}

// The copy's table list covers every table of both schemas: a table added
// by a migration needs an entry in copied_tables.cc (or is left out there
// on purpose).
TEST_F(StoreCopyTest, TheCopiedTablesCoverBothSchemas) {
  std::set<std::string> sources;
  std::set<std::string> targets;
  for (const store_copy::CopiedTable& table : store_copy::CopiedTables()) {
    targets.insert(std::string(table.table));
    std::istringstream names{std::string(table.source_tables)};
    for (std::string name; std::getline(names >> std::ws, name, ',');) sources.insert(name);
  }
  for (const std::string_view table : store_copy::UncopiedTables()) {
    EXPECT_TRUE(sources.insert(std::string(table)).second) << table << " is copied too";
    EXPECT_TRUE(targets.insert(std::string(table)).second) << table << " is copied too";
  }
  std::set<std::string> sqlite_tables;
  ASSERT_OK(sqlite_->database().Read("listing tables", [&](SQLite::Database& db) -> Result<bool> {
    SQLite::Statement query(
        db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (query.executeStep()) sqlite_tables.insert(query.getColumn(0).getString());
    return true;
  }));
  EXPECT_EQ(sources, sqlite_tables);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgConnection> connection,
                       PgConnection::Connect(database_->dsn()));
  ASSERT_OK_AND_ASSIGN(const PgResult rows,
                       connection->Exec("listing tables",
                                        "SELECT tablename FROM pg_tables WHERE schemaname = "
                                        "current_schema() AND tablename <> "
                                        "'erpsync_schema_migrations'"));
  std::set<std::string> postgres_tables;
  for (int row = 0; row < rows.rows(); ++row)
    postgres_tables.insert(std::string(rows.Text(row, 0)));
  EXPECT_EQ(targets, postgres_tables);
}

}  // namespace
}  // namespace erpsync::server
