// MappingAdmin over the shipped catalog, a real state store and the shared
// sample company: listing, enabling with dependencies and ERP checks, the
// refusals that protect synced data, option changes, and the interrupted
// deep run report.
#include "agent/state/mapping_admin.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "agent/erp/sqlite_erp_source.h"
#include "agent/mapping/catalog_loader.h"
#include "tests/agent/erp/erp_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace erpsync::agent {
namespace {

using ::testing::Eq;

constexpr char kShippedMappings[] = ERPSYNC_SOURCE_DIR "/mappings/sage300cre";

class FixedClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
  }
  int64_t unix_seconds = 1'750'000'000;
};

// When MarkSynced says a record type synced, and how messages say it.
constexpr int64_t kSyncedAt = 1'740'000'000;
std::string SyncedNote(const std::string& records) {
  return records + " records on the server at the last sync, " + FormatLocalTime(kSyncedAt);
}

class MappingAdminTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(kShippedMappings); }

  void Open(const std::string& mappings_dir) {
    ASSERT_OK_AND_ASSIGN(catalog_, LoadCatalog(mappings_dir));
    state_.reset();
    ASSERT_OK_AND_ASSIGN(state_, StateStore::Open(dir_.File("state")));
    ASSERT_OK_AND_ASSIGN(erp_, SqliteErpSource::Open(agent::testing::SharedSampleCompany()));
    admin_ = std::make_unique<MappingAdmin>(&catalog_, state_.get(), &clock_);
  }

  // Records that `id` synced `server_count` records at kSyncedAt.
  void MarkSynced(const std::string& id, uint64_t server_count) {
    EntityProgress progress = *state_->GetProgress(id);
    progress.last_sync_unix = kSyncedAt;
    progress.last_deep_sync_unix = kSyncedAt;
    progress.server_count = server_count;
    progress.records_last_synced = server_count;
    ASSERT_OK(state_->PutProgress(progress));
  }

  MappingRow Row(const std::string& id) {
    const Result<MappingRow> row = admin_->Row(id);
    EXPECT_OK(row);
    return row.ok() ? *row : MappingRow{};
  }
  bool Enabled(const std::string& id) { return Row(id).settings.enabled; }
  bool NeedsDeepSync(const std::string& id) { return Row(id).settings.needs_deep_sync; }

  // Stores `id` as enabled and deep-synced (needs_deep_sync cleared).
  void MarkDeepSynced(const std::string& id) {
    MappingSettings settings = Row(id).settings;
    settings.enabled = true;
    settings.needs_deep_sync = false;
    ASSERT_OK(state_->PutSettings(settings));
  }

  erpsync::testing::TempDir dir_;
  FixedClock clock_;
  Catalog catalog_;
  std::unique_ptr<StateStore> state_;
  std::unique_ptr<SqliteErpSource> erp_;
  std::unique_ptr<MappingAdmin> admin_;
};

TEST_F(MappingAdminTest, ListShowsEveryRecordTypeWithTheFileDefaults) {
  const Result<std::vector<MappingRow>> rows = admin_->List();
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 35u);
  std::vector<std::string> enabled;
  for (size_t i = 0; i < rows->size(); ++i) {
    const MappingRow& row = (*rows)[i];
    if (i > 0) {
      EXPECT_LT((*rows)[i - 1].mapping->id(), row.mapping->id());
    }
    // A fresh agent owes a deep sync for exactly the enabled record types.
    EXPECT_EQ(row.settings.needs_deep_sync, row.settings.enabled) << row.mapping->id();
    EXPECT_EQ(row.progress.last_sync_unix, 0) << row.mapping->id();
    if (row.settings.enabled) enabled.push_back(row.mapping->id());
  }
  EXPECT_EQ(enabled,
            (std::vector<std::string>{"cn_contract", "customer", "cv_job", "jc_category",
                                      "jc_cost_code", "jc_job", "jc_transaction", "vendor"}));
  const MappingRow transaction = Row("jc_transaction");
  ASSERT_EQ(transaction.panels.size(), 2u);
  EXPECT_EQ(transaction.panels[0].display_name, "Transaction types");
  EXPECT_TRUE(transaction.panels[0].row_filter);
  EXPECT_EQ(transaction.panels[0].choices.size(), 11u);
  EXPECT_EQ(transaction.panels[1].display_name, "Optional linked fields");
  EXPECT_FALSE(transaction.panels[1].row_filter);
  std::vector<std::string> linked;
  for (const ChoiceState& choice : transaction.panels[1].choices) {
    EXPECT_TRUE(choice.on) << choice.id;
    linked.push_back(choice.display_name);
  }
  EXPECT_EQ(linked, (std::vector<std::string>{"Commitment Change Order", "Credit Account",
                                              "Debit Account", "Employee", "Equipment", "Pay ID",
                                              "Reference 1", "Reference 2"}));
  EXPECT_THAT(admin_->Row("nope"), StatusIs(StatusCode::kNotFound));
}

TEST_F(MappingAdminTest, EnableMarksTheMappingAsNeedingADeepSync) {
  const Result<ChangeOutcome> outcome = admin_->Enable({"jc_extra"}, false, *erp_);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->changes, (std::vector<std::string>{"enabled Extra (JC) [jc_extra]"}));
  EXPECT_EQ(outcome->needs_deep_sync, (std::vector<std::string>{"jc_extra"}));
  EXPECT_TRUE(outcome->warnings.empty());
  const MappingRow row = Row("jc_extra");
  EXPECT_TRUE(row.settings.enabled);
  EXPECT_TRUE(row.settings.needs_deep_sync);
  EXPECT_EQ(row.settings.changed_unix, clock_.unix_seconds);
}

TEST_F(MappingAdminTest, EnablingAnEnabledMappingChangesNothing) {
  MarkDeepSynced("jc_job");
  const Result<ChangeOutcome> outcome = admin_->Enable({"jc_job"}, false, *erp_);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->changes, (std::vector<std::string>{"Job (JC) [jc_job] is already enabled"}));
  EXPECT_TRUE(outcome->needs_deep_sync.empty());
  EXPECT_FALSE(NeedsDeepSync("jc_job"));
}

TEST_F(MappingAdminTest, EnableRefusesDisabledDependenciesAndChangesNothing) {
  const Result<ChangeOutcome> outcome = admin_->Enable({"ap_distribution_payment"}, false, *erp_);
  EXPECT_THAT(outcome,
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("refusing to enable Distribution Payment (AP) [ap_distribution_payment]: "
                          "it depends on disabled mappings: Invoice (AP) [ap_invoice], "
                          "Distribution (AP) [ap_distribution], Payment (AP) [ap_payment]. Enable "
                          "them in the same command, or add --with-dependencies to enable them "
                          "together.")));
  EXPECT_FALSE(Enabled("ap_distribution_payment"));
  EXPECT_FALSE(Enabled("ap_invoice"));
}

TEST_F(MappingAdminTest, EnableWithDependenciesEnablesTheChainInDependencyOrder) {
  const Result<ChangeOutcome> outcome = admin_->Enable({"ap_distribution_payment"}, true, *erp_);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->changes,
            (std::vector<std::string>{
                "enabled Invoice (AP) [ap_invoice] (needed by Distribution Payment (AP) "
                "[ap_distribution_payment])",
                "enabled Distribution (AP) [ap_distribution] (needed by Distribution Payment (AP) "
                "[ap_distribution_payment])",
                "enabled Payment (AP) [ap_payment] (needed by Distribution Payment (AP) "
                "[ap_distribution_payment])",
                "enabled Distribution Payment (AP) [ap_distribution_payment]"}));
  EXPECT_EQ(outcome->needs_deep_sync,
            (std::vector<std::string>{"ap_invoice", "ap_distribution", "ap_payment",
                                      "ap_distribution_payment"}));
  for (const std::string& id : outcome->needs_deep_sync) {
    EXPECT_TRUE(Enabled(id)) << id;
    EXPECT_TRUE(NeedsDeepSync(id)) << id;
  }
}

TEST_F(MappingAdminTest, DependenciesListedInTheSameCommandAreEnabledTogether) {
  const Result<ChangeOutcome> outcome = admin_->Enable(
      {"cn_contract_change_order_item", "cn_contract_item", "cn_contract_change_order"}, false,
      *erp_);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->needs_deep_sync.size(), 3u);
  EXPECT_EQ(outcome->needs_deep_sync.back(), "cn_contract_change_order_item");
  EXPECT_TRUE(Enabled("cn_contract_change_order_item"));
}

TEST_F(MappingAdminTest, EnableChecksTheMappingAgainstTheErp) {
  std::filesystem::copy(kShippedMappings, dir_.File("mappings"));
  erpsync::testing::WriteTextFile(dir_.File("mappings/ghost.textproto"),
                                  "id: \"ghost\"\n"
                                  "display_name: \"Ghost\"\n"
                                  "table: \"XXM_MASTER__GHOST\"\n"
                                  "fields { name: \"k\" column: \"K\" type: TEXT }\n"
                                  "key: \"k\"\n");
  erpsync::testing::WriteTextFile(dir_.File("mappings/misspelled.textproto"),
                                  "id: \"misspelled\"\n"
                                  "display_name: \"Misspelled\"\n"
                                  "table: \"JCM_MASTER__JOB\"\n"
                                  "fields { name: \"job\" column: \"Job\" type: TEXT }\n"
                                  "fields { name: \"name\" column: \"Descripton\" type: TEXT }\n"
                                  "key: \"job\"\n");
  Open(dir_.File("mappings"));
  const Result<ChangeOutcome> ghost = admin_->Enable({"ghost"}, false, *erp_);
  EXPECT_THAT(ghost, StatusIs(StatusCode::kInvalidArgument,
                              Eq(dir_.File("mappings/ghost.textproto") +
                                 ":3: the ERP (sqlite:" + agent::testing::SharedSampleCompany() +
                                 ") has no table XXM_MASTER__GHOST")));
  const Result<ChangeOutcome> misspelled = admin_->Enable({"misspelled"}, false, *erp_);
  EXPECT_THAT(misspelled, StatusIs(StatusCode::kInvalidArgument,
                                   Eq(dir_.File("mappings/misspelled.textproto") +
                                      ":5: table JCM_MASTER__JOB has no column Descripton")));
  EXPECT_FALSE(Enabled("ghost"));
  EXPECT_FALSE(Enabled("misspelled"));
}

TEST_F(MappingAdminTest, UnknownMappingsAndOptionsAreNotFound) {
  const std::string unknown = "no mapping with id 'nope' (see `erpsync-agent mappings list`)";
  EXPECT_EQ(admin_->Enable({"jc_extra", "nope"}, false, *erp_).status().message(), unknown);
  EXPECT_FALSE(Enabled("jc_extra"));
  EXPECT_EQ(admin_->Disable({"nope"}, false).status().message(), unknown);
  EXPECT_EQ(admin_->SetChoice("nope", "employee", false, false).status().message(), unknown);
  const Result<ChangeOutcome> option = admin_->SetChoice("jc_commitment", "nope", false, false);
  EXPECT_THAT(
      option,
      StatusIs(StatusCode::kNotFound,
               Eq("mapping 'jc_commitment' has no option 'nope' (options: type_subcontract, "
                  "type_purchase_order)")));
  EXPECT_EQ(admin_->SetChoice("customer", "nope", true, false).status().message(),
            "mapping 'customer' has no option 'nope' (it has no options)");
}

TEST_F(MappingAdminTest, DisablingAMappingThatNeverSyncedIsAllowed) {
  ASSERT_OK(admin_->Enable({"jc_extra"}, false, *erp_));
  const Result<ChangeOutcome> outcome = admin_->Disable({"jc_extra"}, false);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->changes, (std::vector<std::string>{"disabled Extra (JC) [jc_extra]"}));
  EXPECT_TRUE(outcome->warnings.empty());
  EXPECT_FALSE(Enabled("jc_extra"));
  const Result<ChangeOutcome> again = admin_->Disable({"jc_extra"}, false);
  ASSERT_OK(again);
  EXPECT_EQ(again->changes,
            (std::vector<std::string>{"Extra (JC) [jc_extra] is already disabled"}));
}

TEST_F(MappingAdminTest, DisableRefusesAMappingThatHasSyncedDataUnlessForced) {
  MarkSynced("vendor", 1234);
  const std::string reason = "it has already synced data (" + SyncedNote("1,234") +
                             "): disabled, the cloud stops receiving updates of this record type";
  const Result<ChangeOutcome> refused = admin_->Disable({"vendor"}, false);
  EXPECT_THAT(refused, StatusIs(StatusCode::kFailedPrecondition,
                                Eq("refusing to disable Vendor [vendor]: " + reason +
                                   ". Add --force to disable it anyway.")));
  EXPECT_TRUE(Enabled("vendor"));

  const Result<ChangeOutcome> forced = admin_->Disable({"vendor"}, true);
  ASSERT_OK(forced);
  EXPECT_EQ(forced->warnings,
            (std::vector<std::string>{"disabled Vendor [vendor] anyway: " + reason + "."}));
  EXPECT_EQ(forced->changes, (std::vector<std::string>{"disabled Vendor [vendor]"}));
  EXPECT_FALSE(Enabled("vendor"));
}

TEST_F(MappingAdminTest, DisableRefusesWhileEnabledMappingsDependOnIt) {
  const Result<ChangeOutcome> refused = admin_->Disable({"jc_job"}, false);
  EXPECT_THAT(refused,
              StatusIs(StatusCode::kFailedPrecondition,
                       Eq("refusing to disable Job (JC) [jc_job]: enabled mappings depend on it: "
                          "Cost Code (JC) [jc_cost_code], Transaction (JC) [jc_transaction]. Add "
                          "--force to disable it anyway.")));
  // Synced data and dependents: both reasons.
  MarkSynced("jc_job", 3);
  EXPECT_EQ(admin_->Disable({"jc_job"}, false).status().message(),
            "refusing to disable Job (JC) [jc_job]: it has already synced data (" +
                SyncedNote("3") +
                "): disabled, the cloud stops receiving updates of this record type; and enabled "
                "mappings depend on it: Cost Code (JC) [jc_cost_code], Transaction (JC) "
                "[jc_transaction]. Add --force to disable it anyway.");
  EXPECT_TRUE(Enabled("jc_job"));
}

TEST_F(MappingAdminTest, DisablingAMappingWithItsDependentsTogetherIsAllowed) {
  const Result<ChangeOutcome> outcome =
      admin_->Disable({"jc_transaction", "jc_category", "jc_cost_code", "jc_job"}, false);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->changes.size(), 4u);
  EXPECT_FALSE(Enabled("jc_job"));
  EXPECT_FALSE(Enabled("jc_transaction"));
}

TEST_F(MappingAdminTest, ARefusedCommandChangesNothing) {
  ASSERT_OK(admin_->Enable({"jc_extra"}, false, *erp_));
  MarkSynced("vendor", 10);
  EXPECT_THAT(admin_->Disable({"jc_extra", "vendor"}, false),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_TRUE(Enabled("jc_extra"));
  EXPECT_TRUE(Enabled("vendor"));
}

TEST_F(MappingAdminTest, AnUnfinishedDeepSyncCountsAsSyncedData) {
  ASSERT_OK(state_->StartDeepRun(DeepRun{"run1", "beginning", {"customer"}, 1}));
  DeepPassCheckpoint checkpoint;
  checkpoint.entity_id = "customer";
  checkpoint.run_id = "run1";
  checkpoint.acked = 500;
  checkpoint.total = 2000;
  ASSERT_OK(state_->PutCheckpoint(checkpoint));
  EXPECT_EQ(admin_->Disable({"customer"}, false).status().message(),
            "refusing to disable Customer [customer]: it has already synced data (500 records "
            "acknowledged by an unfinished deep sync): disabled, the cloud stops receiving updates "
            "of this record type; and enabled mappings depend on it: Contract (CN) [cn_contract]. "
            "Add --force to disable it anyway.");
}

TEST_F(MappingAdminTest, UntickingALinkedFieldThatSyncedIsRefusedUnlessForced) {
  MarkSynced("jc_transaction", 3000);
  const std::string reason =
      "the cloud holds the values of field employee of the records already "
      "synced (" +
      SyncedNote("3,000") +
      "); unticked, the field is left out of what is sent and those values "
      "are no longer updated";
  MarkDeepSynced("jc_transaction");
  const Result<ChangeOutcome> refused =
      admin_->SetChoice("jc_transaction", "employee", false, false);
  EXPECT_THAT(
      refused,
      StatusIs(StatusCode::kFailedPrecondition,
               Eq("refusing to untick Employee [employee] of Transaction (JC) [jc_transaction]: " +
                  reason + ". Add --force to untick it anyway.")));
  EXPECT_FALSE(NeedsDeepSync("jc_transaction"));

  const Result<ChangeOutcome> forced = admin_->SetChoice("jc_transaction", "employee", false, true);
  ASSERT_OK(forced);
  EXPECT_EQ(forced->warnings,
            (std::vector<std::string>{"unticked Employee [employee] of Transaction (JC) "
                                      "[jc_transaction] anyway: " +
                                      reason + "."}));
  EXPECT_EQ(forced->changes,
            (std::vector<std::string>{
                "unticked Employee [employee] of Transaction (JC) [jc_transaction]"}));
  EXPECT_EQ(forced->needs_deep_sync, (std::vector<std::string>{"jc_transaction"}));
  const MappingRow row = Row("jc_transaction");
  EXPECT_TRUE(row.settings.needs_deep_sync);
  EXPECT_EQ(row.settings.choices, (OptionChoices{{"employee", false}}));

  // Ticking it back is always allowed.
  const Result<ChangeOutcome> ticked = admin_->SetChoice("jc_transaction", "employee", true, false);
  ASSERT_OK(ticked);
  EXPECT_TRUE(ticked->warnings.empty());
  EXPECT_EQ(Row("jc_transaction").settings.choices, (OptionChoices{{"employee", true}}));
}

TEST_F(MappingAdminTest, UntickingATransactionTypeExplainsTheNextDeepSyncDeletes) {
  MarkSynced("jc_transaction", 3000);
  EXPECT_EQ(admin_->SetChoice("jc_transaction", "type_pr_cost", false, false).status().message(),
            "refusing to untick PR cost [type_pr_cost] of Transaction (JC) [jc_transaction]: the "
            "cloud holds the records whose Transaction_Type is 'PR cost' among those already "
            "synced (" +
                SyncedNote("3,000") +
                "); unticked, those records are no longer updated, and the next complete deep sync "
                "from the beginning of time marks them deleted on the server. Add --force to "
                "untick it anyway.");
}

TEST_F(MappingAdminTest, OptionsOfAMappingThatNeverSyncedChangeFreely) {
  MarkDeepSynced("jc_transaction");
  const Result<ChangeOutcome> off =
      admin_->SetChoice("jc_transaction", "type_pr_cost", false, false);
  ASSERT_OK(off);
  EXPECT_TRUE(off->warnings.empty());
  EXPECT_TRUE(NeedsDeepSync("jc_transaction"));
  MarkDeepSynced("jc_transaction");
  const Result<ChangeOutcome> again =
      admin_->SetChoice("jc_transaction", "type_pr_cost", false, false);
  ASSERT_OK(again);
  EXPECT_EQ(again->changes, (std::vector<std::string>{
                                "PR cost [type_pr_cost] of Transaction (JC) [jc_transaction] is "
                                "already unticked"}));
  EXPECT_TRUE(again->needs_deep_sync.empty());
  EXPECT_FALSE(NeedsDeepSync("jc_transaction"));
  // A disabled mapping's options can be prepared before it is enabled.
  const Result<ChangeOutcome> disabled =
      admin_->SetChoice("jc_commitment", "type_purchase_order", false, false);
  ASSERT_OK(disabled);
  EXPECT_TRUE(disabled->needs_deep_sync.empty());
  EXPECT_FALSE(Row("jc_commitment").panels[0].choices[1].on);
}

TEST_F(MappingAdminTest, DeepRunInProgressReportsEachCheckpoint) {
  EXPECT_FALSE(admin_->DeepRunInProgress()->has_value());
  ASSERT_OK(
      state_->StartDeepRun(DeepRun{"run7", "week", {"customer", "vendor", "jc_transaction"}, 99}));
  DeepPassCheckpoint done;
  done.entity_id = "customer";
  done.run_id = "run7";
  done.acked = 20;
  done.total = 20;
  done.done = true;
  ASSERT_OK(state_->PutCheckpoint(done));
  DeepPassCheckpoint partial = done;
  partial.entity_id = "vendor";
  partial.acked = 30;
  partial.total = 50;
  partial.done = false;
  ASSERT_OK(state_->PutCheckpoint(partial));

  const auto status = admin_->DeepRunInProgress();
  ASSERT_OK(status);
  ASSERT_TRUE(status->has_value());
  const DeepRunStatus& run = **status;
  EXPECT_EQ(run.run.run_id, "run7");
  EXPECT_EQ(run.run.since, "week");
  EXPECT_EQ(run.acked, 50u);
  EXPECT_EQ(run.total, 70u);
  EXPECT_EQ(run.entities_done, 1u);
  ASSERT_EQ(run.entities.size(), 3u);
  EXPECT_TRUE(run.entities[0].done);
  EXPECT_TRUE(run.entities[1].started);
  EXPECT_FALSE(run.entities[1].done);
  EXPECT_FALSE(run.entities[2].started);
}

}  // namespace
}  // namespace erpsync::agent
