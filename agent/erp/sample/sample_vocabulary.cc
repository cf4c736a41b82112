#include "agent/erp/sample/sample_vocabulary.h"

#include <array>

namespace erpsync::agent {
namespace {

using std::string_view_literals::operator""sv;

constexpr std::array kCities = {
    SampleCity{"Sacramento", "CA", "958", "916"}, SampleCity{"Fresno", "CA", "937", "559"},
    SampleCity{"Modesto", "CA", "953", "209"},    SampleCity{"Stockton", "CA", "952", "209"},
    SampleCity{"Redding", "CA", "960", "530"},    SampleCity{"Chico", "CA", "959", "530"},
    SampleCity{"Reno", "NV", "895", "775"},       SampleCity{"Carson City", "NV", "897", "775"},
    SampleCity{"Boise", "ID", "837", "208"},      SampleCity{"Twin Falls", "ID", "833", "208"},
    SampleCity{"Portland", "OR", "972", "503"},   SampleCity{"Salem", "OR", "973", "503"},
    SampleCity{"Eugene", "OR", "974", "541"},     SampleCity{"Bend", "OR", "977", "541"},
    SampleCity{"Spokane", "WA", "992", "509"},    SampleCity{"Tacoma", "WA", "984", "253"},
    SampleCity{"Yakima", "WA", "989", "509"},     SampleCity{"Missoula", "MT", "598", "406"},
    SampleCity{"Billings", "MT", "591", "406"},   SampleCity{"Medford", "OR", "975", "541"},
};

constexpr std::array kStreets = {
    "Main St"sv,     "Oak Ave"sv,      "Industrial Way"sv, "Commerce Dr"sv,  "River Rd"sv,
    "Cedar St"sv,    "Park Blvd"sv,    "Airport Rd"sv,     "Mill St"sv,      "Harbor Dr"sv,
    "Pine St"sv,     "Capitol Mall"sv, "Franklin Blvd"sv,  "Madison Ave"sv,  "Elm St"sv,
    "Sunset Blvd"sv, "Lake Dr"sv,      "Granite Way"sv,    "Front St"sv,     "Center St"sv,
    "Willow Ln"sv,   "Highland Ave"sv, "Valley View Rd"sv, "Railroad Ave"sv, "Quarry Rd"sv,
};

constexpr std::array kFirstNames = {
    "James"sv,  "Maria"sv,  "Robert"sv, "Linda"sv, "Michael"sv, "Susan"sv,  "David"sv, "Karen"sv,
    "Carlos"sv, "Nancy"sv,  "Daniel"sv, "Lisa"sv,  "Thomas"sv,  "Angela"sv, "Kevin"sv, "Sandra"sv,
    "Brian"sv,  "Teresa"sv, "Jose"sv,   "Emily"sv, "Steven"sv,  "Rachel"sv, "Paul"sv,  "Monica"sv,
};

constexpr std::array kLastNames = {
    "Anderson"sv,  "Baker"sv,  "Castillo"sv,  "Dawson"sv,  "Ellis"sv,    "Foster"sv,
    "Garcia"sv,    "Hughes"sv, "Ingram"sv,    "Jensen"sv,  "Kowalski"sv, "Larsen"sv,
    "Morales"sv,   "Nguyen"sv, "Olsen"sv,     "Patel"sv,   "Quinn"sv,    "Ramirez"sv,
    "Sullivan"sv,  "Turner"sv, "Underwood"sv, "Vasquez"sv, "Walsh"sv,    "Young"sv,
    "Zimmerman"sv, "Brooks"sv, "Chavez"sv,    "Fischer"sv, "Harper"sv,   "Meyer"sv,
};

constexpr std::array kCompanyWords = {
    "Summit"sv,    "Cascade"sv,    "Pioneer"sv,  "Evergreen"sv, "Sierra"sv,   "Granite"sv,
    "Redwood"sv,   "Keystone"sv,   "Pacific"sv,  "Frontier"sv,  "Ironwood"sv, "Bluestone"sv,
    "Northstar"sv, "Valley"sv,     "Capitol"sv,  "Allied"sv,    "Premier"sv,  "Precision"sv,
    "Coastal"sv,   "Timberline"sv, "Ridgeway"sv, "Alpine"sv,    "Heritage"sv, "Liberty"sv,
};

constexpr std::array kCompanySuffixes = {"Inc"sv, "LLC"sv, "Co"sv, "Corp"sv, "& Sons"sv, "Group"sv};

constexpr std::array kTrades = {
    SampleTrade{"Concrete", "SUB"},
    SampleTrade{"Electric", "SUB"},
    SampleTrade{"Plumbing", "SUB"},
    SampleTrade{"Steel", "SUB"},
    SampleTrade{"Roofing", "SUB"},
    SampleTrade{"Drywall", "SUB"},
    SampleTrade{"Excavation", "SUB"},
    SampleTrade{"Paving", "SUB"},
    SampleTrade{"Glass", "SUB"},
    SampleTrade{"Masonry", "SUB"},
    SampleTrade{"Mechanical", "SUB"},
    SampleTrade{"Painting", "SUB"},
    SampleTrade{"Flooring", "SUB"},
    SampleTrade{"Fire Protection", "SUB"},
    SampleTrade{"Landscaping", "SUB"},
    SampleTrade{"Lumber", "SUP"},
    SampleTrade{"Building Supply", "SUP"},
    SampleTrade{"Rebar Supply", "SUP"},
    SampleTrade{"Ready Mix", "SUP"},
    SampleTrade{"Electrical Supply", "SUP"},
    SampleTrade{"Equipment Rental", "EQP"},
    SampleTrade{"Crane Service", "EQP"},
    SampleTrade{"Surveying", "PRO"},
    SampleTrade{"Engineering", "PRO"},
    SampleTrade{"Testing Labs", "PRO"},
    SampleTrade{"Waste Services", "SVC"},
    SampleTrade{"Portable Toilets", "SVC"},
    SampleTrade{"Power", "UTL"},
};

constexpr std::array kJobPlaces = {
    "Riverside"sv,    "Oak Hill"sv,   "Lakeview"sv,    "Cedar Park"sv,   "Harbor Point"sv,
    "North Valley"sv, "Pine Ridge"sv, "Westgate"sv,    "Eastside"sv,     "Sunset"sv,
    "Highland"sv,     "Mill Creek"sv, "Fairview"sv,    "Stone Bridge"sv, "Willow Glen"sv,
    "Granite Bay"sv,  "Elk Grove"sv,  "Meadowbrook"sv, "Canyon"sv,       "Bayshore"sv,
};

constexpr std::array kJobKinds = {
    "Medical Office"sv,   "Elementary School"sv, "Parking Garage"sv, "Fire Station"sv,
    "Retail Center"sv,    "Library"sv,           "Warehouse"sv,      "Apartments"sv,
    "Community Center"sv, "Police Station"sv,    "Clinic Remodel"sv, "Office TI"sv,
    "Water Treatment"sv,  "Bridge Repair"sv,     "Gymnasium"sv,      "Middle School"sv,
};

constexpr std::array kDivision01 = {
    SampleCostItem{"100", "Supervision", "HR"},
    SampleCostItem{"110", "Project management", "HR"},
    SampleCostItem{"120", "Temporary facilities", "LS"},
    SampleCostItem{"130", "Temporary utilities", "LS"},
    SampleCostItem{"140", "Cleanup", "LS"},
    SampleCostItem{"150", "Permits and fees", "LS"},
    SampleCostItem{"160", "Insurance and bonds", "LS"},
    SampleCostItem{"170", "Safety", "LS"},
};
constexpr std::array kDivision02 = {
    SampleCostItem{"100", "Demolition", "LS"}, SampleCostItem{"200", "Clearing and grubbing", "AC"},
    SampleCostItem{"300", "Earthwork", "CY"},  SampleCostItem{"310", "Excavation", "CY"},
    SampleCostItem{"320", "Backfill", "CY"},   SampleCostItem{"400", "Site utilities", "LF"},
    SampleCostItem{"500", "Paving", "SY"},     SampleCostItem{"600", "Landscaping", "SF"},
    SampleCostItem{"700", "Fencing", "LF"},
};
constexpr std::array kDivision03 = {
    SampleCostItem{"100", "Formwork", "SF"},
    SampleCostItem{"200", "Reinforcing steel", "TN"},
    SampleCostItem{"300", "Cast-in-place concrete", "CY"},
    SampleCostItem{"310", "Footings", "CY"},
    SampleCostItem{"320", "Slab on grade", "SF"},
    SampleCostItem{"400", "Precast concrete", "EA"},
    SampleCostItem{"500", "Concrete finishing", "SF"},
};
constexpr std::array kDivision04 = {
    SampleCostItem{"100", "Mortar and grout", "CY"},
    SampleCostItem{"200", "Unit masonry", "SF"},
    SampleCostItem{"300", "Stone", "SF"},
    SampleCostItem{"400", "Masonry restoration", "SF"},
};
constexpr std::array kDivision05 = {
    SampleCostItem{"100", "Structural steel", "TN"},    SampleCostItem{"200", "Metal joists", "TN"},
    SampleCostItem{"300", "Metal decking", "SF"},       SampleCostItem{"400", "Misc metals", "LB"},
    SampleCostItem{"500", "Ornamental railings", "LF"},
};
constexpr std::array kDivision06 = {
    SampleCostItem{"100", "Rough carpentry", "MBF"},
    SampleCostItem{"200", "Finish carpentry", "LF"},
    SampleCostItem{"300", "Architectural woodwork", "LF"},
    SampleCostItem{"400", "Casework", "LF"},
};
constexpr std::array kDivision07 = {
    SampleCostItem{"100", "Waterproofing", "SF"},
    SampleCostItem{"200", "Insulation", "SF"},
    SampleCostItem{"300", "Roofing", "SQ"},
    SampleCostItem{"400", "Flashing and sheet metal", "LF"},
    SampleCostItem{"500", "Sealants", "LF"},
};
constexpr std::array kDivision08 = {
    SampleCostItem{"100", "Metal doors and frames", "EA"},
    SampleCostItem{"200", "Wood doors", "EA"},
    SampleCostItem{"300", "Storefronts", "SF"},
    SampleCostItem{"400", "Windows", "EA"},
    SampleCostItem{"500", "Door hardware", "EA"},
    SampleCostItem{"600", "Glazing", "SF"},
};
constexpr std::array kDivision09 = {
    SampleCostItem{"100", "Metal studs", "SF"}, SampleCostItem{"200", "Gypsum board", "SF"},
    SampleCostItem{"300", "Tile", "SF"},        SampleCostItem{"400", "Acoustical ceilings", "SF"},
    SampleCostItem{"500", "Flooring", "SF"},    SampleCostItem{"600", "Painting", "SF"},
};
constexpr std::array kDivision10 = {
    SampleCostItem{"100", "Toilet partitions", "EA"},
    SampleCostItem{"200", "Signage", "EA"},
    SampleCostItem{"300", "Lockers", "EA"},
    SampleCostItem{"400", "Fire extinguishers", "EA"},
};
constexpr std::array kDivision11 = {
    SampleCostItem{"100", "Kitchen equipment", "LS"},
    SampleCostItem{"200", "Loading dock equipment", "EA"},
};
constexpr std::array kDivision12 = {
    SampleCostItem{"100", "Window treatments", "EA"},
    SampleCostItem{"200", "Furniture", "LS"},
};
constexpr std::array kDivision13 = {
    SampleCostItem{"100", "Pre-engineered buildings", "LS"},
    SampleCostItem{"200", "Fire suppression", "SF"},
};
constexpr std::array kDivision14 = {
    SampleCostItem{"100", "Elevators", "EA"},
    SampleCostItem{"200", "Wheelchair lifts", "EA"},
};
constexpr std::array kDivision15 = {
    SampleCostItem{"100", "Plumbing", "LS"}, SampleCostItem{"200", "Plumbing fixtures", "EA"},
    SampleCostItem{"300", "HVAC", "LS"},     SampleCostItem{"400", "Ductwork", "LB"},
    SampleCostItem{"500", "Controls", "LS"}, SampleCostItem{"600", "Fire sprinklers", "SF"},
};
constexpr std::array kDivision16 = {
    SampleCostItem{"100", "Electrical service", "LS"}, SampleCostItem{"200", "Lighting", "EA"},
    SampleCostItem{"300", "Power distribution", "LS"}, SampleCostItem{"400", "Low voltage", "LS"},
    SampleCostItem{"500", "Fire alarm", "LS"},
};

constexpr std::array kDivisions = {
    SampleDivision{"01", "General requirements", kDivision01},
    SampleDivision{"02", "Site work", kDivision02},
    SampleDivision{"03", "Concrete", kDivision03},
    SampleDivision{"04", "Masonry", kDivision04},
    SampleDivision{"05", "Metals", kDivision05},
    SampleDivision{"06", "Wood and plastics", kDivision06},
    SampleDivision{"07", "Thermal and moisture", kDivision07},
    SampleDivision{"08", "Doors and windows", kDivision08},
    SampleDivision{"09", "Finishes", kDivision09},
    SampleDivision{"10", "Specialties", kDivision10},
    SampleDivision{"11", "Equipment", kDivision11},
    SampleDivision{"12", "Furnishings", kDivision12},
    SampleDivision{"13", "Special construction", kDivision13},
    SampleDivision{"14", "Conveying systems", kDivision14},
    SampleDivision{"15", "Mechanical", kDivision15},
    SampleDivision{"16", "Electrical", kDivision16},
};

constexpr std::array kCategories = {
    SampleCategory{"L", "Labor", SampleRollup::kLabor},
    SampleCategory{"LB", "Labor burden", SampleRollup::kLabor},
    SampleCategory{"M", "Material", SampleRollup::kMaterial},
    SampleCategory{"S", "Subcontract", SampleRollup::kSubcontract},
    SampleCategory{"E", "Equipment", SampleRollup::kEquipment},
    SampleCategory{"R", "Equipment rental", SampleRollup::kEquipment},
    SampleCategory{"O", "Other", SampleRollup::kOther},
    SampleCategory{"P", "Permits and fees", SampleRollup::kOther},
    SampleCategory{"OH", "Overhead", SampleRollup::kOverhead},
};

constexpr std::array kVendorTypes = {
    SampleCode{"SUB", "Subcontractor"},    SampleCode{"SUP", "Material supplier"},
    SampleCode{"EQP", "Equipment rental"}, SampleCode{"PRO", "Professional services"},
    SampleCode{"SVC", "Site services"},    SampleCode{"UTL", "Utilities"},
};

constexpr std::array kCustomerTypes = {
    SampleCode{"GOV", "Government"},  SampleCode{"EDU", "Education"},
    SampleCode{"COM", "Commercial"},  SampleCode{"MED", "Healthcare"},
    SampleCode{"RES", "Residential"},
};

constexpr std::array kGlPrefixes = {
    SampleCode{"01", "Main office"},
    SampleCode{"02", "Northern division"},
};

constexpr std::array kGlAccounts = {
    SampleGlAccount{"1010", "Cash - operating", "Asset", "Debit"},
    SampleGlAccount{"1020", "Cash - payroll", "Asset", "Debit"},
    SampleGlAccount{"1200", "Accounts receivable", "Asset", "Debit"},
    SampleGlAccount{"1210", "Retainage receivable", "Asset", "Debit"},
    SampleGlAccount{"1400", "Inventory", "Asset", "Debit"},
    SampleGlAccount{"1500", "Equipment", "Asset", "Debit"},
    SampleGlAccount{"1990", "Job cost clearing", "Asset", "Debit"},
    SampleGlAccount{"2000", "Accounts payable", "Liability", "Credit"},
    SampleGlAccount{"2010", "Retainage payable", "Liability", "Credit"},
    SampleGlAccount{"2100", "Accrued payroll", "Liability", "Credit"},
    SampleGlAccount{"2200", "Sales tax payable", "Liability", "Credit"},
    SampleGlAccount{"3000", "Retained earnings", "Equity", "Credit"},
    SampleGlAccount{"4000", "Contract revenue", "Income", "Credit"},
    SampleGlAccount{"4100", "Service revenue", "Income", "Credit"},
    SampleGlAccount{"4900", "Equipment revenue", "Income", "Credit"},
    SampleGlAccount{"5100", "Job cost - labor", "Expense", "Debit"},
    SampleGlAccount{"5200", "Job cost - material", "Expense", "Debit"},
    SampleGlAccount{"5300", "Job cost - subcontract", "Expense", "Debit"},
    SampleGlAccount{"5400", "Job cost - equipment", "Expense", "Debit"},
    SampleGlAccount{"5500", "Job cost - other", "Expense", "Debit"},
    SampleGlAccount{"5600", "Job cost - overhead", "Expense", "Debit"},
    SampleGlAccount{"6000", "Office salaries", "Expense", "Debit"},
    SampleGlAccount{"6100", "Rent", "Expense", "Debit"},
    SampleGlAccount{"6200", "Utilities", "Expense", "Debit"},
    SampleGlAccount{"6300", "Insurance", "Expense", "Debit"},
    SampleGlAccount{"6400", "Depreciation", "Expense", "Debit"},
    SampleGlAccount{"7000", "Interest expense", "Expense", "Debit"},
};

constexpr std::array kEquipmentNames = {
    "Excavator CAT 320"sv, "Skid steer loader"sv, "Crane 50 ton"sv,     "Wheel loader"sv,
    "Dump truck"sv,        "Telehandler"sv,       "Roller compactor"sv, "Generator 60 kW"sv,
    "Pickup truck"sv,      "Backhoe"sv,           "Scissor lift"sv,     "Concrete pump"sv,
};

constexpr std::array kChangeReasons = {
    "Added scope"sv,          "Owner request"sv,        "Design change"sv,
    "Unforeseen condition"sv, "Value engineering"sv,    "Code requirement"sv,
    "Schedule change"sv,      "Allowance adjustment"sv, "Quantity correction"sv,
    "Price correction"sv,     "Credit for deletion"sv,  "Field directive"sv,
};

}  // namespace

std::string_view SampleRollupName(SampleRollup rollup) {
  switch (rollup) {
    case SampleRollup::kLabor:
      return "Labor";
    case SampleRollup::kMaterial:
      return "Material";
    case SampleRollup::kSubcontract:
      return "Subcontract";
    case SampleRollup::kEquipment:
      return "Equipment";
    case SampleRollup::kOther:
      return "Other";
    case SampleRollup::kOverhead:
      return "Overhead";
  }
  return "Other";
}

std::span<const SampleCity> SampleCities() { return kCities; }
std::span<const std::string_view> SampleStreets() { return kStreets; }
std::span<const std::string_view> SampleFirstNames() { return kFirstNames; }
std::span<const std::string_view> SampleLastNames() { return kLastNames; }
std::span<const std::string_view> SampleCompanyWords() { return kCompanyWords; }
std::span<const std::string_view> SampleCompanySuffixes() { return kCompanySuffixes; }
std::span<const SampleTrade> SampleTrades() { return kTrades; }
std::span<const std::string_view> SampleJobPlaces() { return kJobPlaces; }
std::span<const std::string_view> SampleJobKinds() { return kJobKinds; }
std::span<const SampleDivision> SampleDivisions() { return kDivisions; }
std::span<const SampleCategory> SampleCategories() { return kCategories; }
std::span<const SampleCode> SampleVendorTypes() { return kVendorTypes; }
std::span<const SampleCode> SampleCustomerTypes() { return kCustomerTypes; }
std::span<const SampleCode> SampleGlPrefixes() { return kGlPrefixes; }
std::span<const SampleGlAccount> SampleGlAccounts() { return kGlAccounts; }
std::span<const std::string_view> SampleEquipmentNames() { return kEquipmentNames; }
std::span<const std::string_view> SampleChangeReasons() { return kChangeReasons; }

}  // namespace erpsync::agent
