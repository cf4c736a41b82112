// The fixed vocabulary the sample company is built from: places, names,
// trades, the standard cost code list (CSI-style divisions), categories and
// their rollups, vendor/customer types and the GL chart of accounts.
// Constant data; thread-safe.
#ifndef ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_VOCABULARY_H_
#define ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_VOCABULARY_H_

#include <span>
#include <string_view>

namespace erpsync::agent {

struct SampleCity {
  std::string_view name;
  std::string_view state;
  std::string_view zip_prefix;  // first three digits of the ZIP code
  std::string_view area_code;
};

struct SampleCode {
  std::string_view code;
  std::string_view description;
};

// A trade gives vendors their names ("Summit Concrete Inc") and their type.
struct SampleTrade {
  std::string_view name;
  std::string_view vendor_type;  // an APM_MASTER__VENDOR_TYPE code
};

struct SampleCostItem {
  std::string_view suffix;  // "100" in "03-100"
  std::string_view description;
  std::string_view unit;
};

struct SampleDivision {
  std::string_view code;  // "03"; the group code is "03-000"
  std::string_view description;
  std::span<const SampleCostItem> items;
};

// Category rollups, in the order Sage lists them.
enum class SampleRollup { kLabor, kMaterial, kSubcontract, kEquipment, kOther, kOverhead };
inline constexpr int kSampleRollupCount = 6;
std::string_view SampleRollupName(SampleRollup rollup);

struct SampleCategory {
  std::string_view code;
  std::string_view description;
  SampleRollup rollup;
};

struct SampleGlAccount {
  std::string_view base;  // "5100"; the account is "<prefix>-<base>"
  std::string_view description;
  std::string_view account_type;
  std::string_view normal_balance;
};

std::span<const SampleCity> SampleCities();
std::span<const std::string_view> SampleStreets();
std::span<const std::string_view> SampleFirstNames();
std::span<const std::string_view> SampleLastNames();
// First words of company names ("Summit", "Cascade", ...).
std::span<const std::string_view> SampleCompanyWords();
std::span<const std::string_view> SampleCompanySuffixes();
std::span<const SampleTrade> SampleTrades();
// Job names are "<place> <kind>" ("Riverside Medical Office").
std::span<const std::string_view> SampleJobPlaces();
std::span<const std::string_view> SampleJobKinds();
std::span<const SampleDivision> SampleDivisions();
std::span<const SampleCategory> SampleCategories();
std::span<const SampleCode> SampleVendorTypes();
std::span<const SampleCode> SampleCustomerTypes();
std::span<const SampleCode> SampleGlPrefixes();
std::span<const SampleGlAccount> SampleGlAccounts();
std::span<const std::string_view> SampleEquipmentNames();
// Short phrases for change orders and corrections ("Added scope", ...).
std::span<const std::string_view> SampleChangeReasons();

}  // namespace erpsync::agent

#endif  // ERPSYNC_AGENT_ERP_SAMPLE_SAMPLE_VOCABULARY_H_
