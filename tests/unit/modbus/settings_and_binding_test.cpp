// Connection settings validation and the binding of plant tags and units to connections.
#include <gtest/gtest.h>

#include "drivers/modbus/connection_settings.hpp"
#include "drivers/modbus/modbus_driver.hpp"
#include "drivers/modbus/tag_binding.hpp"
#include "modbus_test_support.hpp"

namespace strata::modbus {
namespace {

using model::TagType;
using test::make_plant;
using test::TagSpec;
using test::UnitSpec;

ConnectionSettings named(std::string name) {
  ConnectionSettings settings;
  settings.name = std::move(name);
  settings.host = "10.0.0.5";
  return settings;
}

std::string binding_error(const model::Plant& plant, const std::vector<ConnectionSettings>& connections) {
  auto result = bind_plant(plant, connections);
  return result.ok() ? "(accepted)" : result.error().message;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(ConnectionSettings, DefaultsAreTheUsualModbusTcpOnes) {
  const ConnectionSettings settings;
  EXPECT_EQ(settings.port, 502);
  EXPECT_EQ(settings.unit_id, 1);
  EXPECT_EQ(settings.poll_interval, std::chrono::milliseconds(500));
  EXPECT_EQ(settings.max_registers_per_request, 125);
  EXPECT_EQ(settings.max_bits_per_request, 2000);
  EXPECT_EQ(settings.max_register_gap, 8);
  EXPECT_TRUE(validate(named("plc")).ok());
}

TEST(ConnectionSettings, ReportsEveryProblemAtOnce) {
  auto settings = named("plc");
  settings.host.clear();
  settings.port = 0;
  settings.unit_id = 256;
  settings.poll_interval = std::chrono::milliseconds(0);
  settings.max_registers_per_request = 126;
  settings.max_bits_per_request = 0;
  settings.reconnect.max = std::chrono::milliseconds(1);
  auto result = validate(settings);
  ASSERT_FALSE(result.ok());
  const auto& message = result.error().message;
  EXPECT_TRUE(contains(message, "modbus connection 'plc': host is missing")) << message;
  EXPECT_TRUE(contains(message, "port 0 is not in 1..65535")) << message;
  EXPECT_TRUE(contains(message, "unit id 256 is not in 0..255")) << message;
  EXPECT_TRUE(contains(message, "poll interval must be positive")) << message;
  EXPECT_TRUE(contains(message, "max registers per request 126 is not in 4..125")) << message;
  EXPECT_TRUE(contains(message, "max bits per request 0 is not in 1..2000")) << message;
  EXPECT_TRUE(contains(message, "reconnect backoff")) << message;
}

TEST(ConnectionSettings, ChecksCommandTargets) {
  auto settings = named("plc");
  settings.commands.push_back({"L1/filler", "coil3", std::nullopt});
  settings.commands.push_back({"L1/capper", "hr10:float32", std::nullopt});
  settings.commands.push_back({"L1/labeler", "hr10:int32", "hr11"});
  settings.commands.push_back({"L1/packer", "hr10", "hr11:bit2"});
  settings.commands.push_back({"L1/palletizer", "hr10:uint16", "coil4"});
  auto result = validate(settings);
  ASSERT_FALSE(result.ok());
  const auto& message = result.error().message;
  EXPECT_TRUE(contains(message,
                       "commands of unit 'L1/filler': Command.CntrlCmd at 'coil3' must be an integer holding "
                       "register"))
      << message;
  EXPECT_TRUE(contains(message, "unit 'L1/capper'")) << message;
  EXPECT_TRUE(
      contains(message,
               "commands of unit 'L1/labeler': Command.CmdChangeRequest at 'hr11' must be a coil or a "
               "holding-register bit"))
      << message;
  EXPECT_FALSE(contains(message, "L1/packer")) << message;
  EXPECT_FALSE(contains(message, "L1/palletizer")) << message;
}

TEST(TagBinding, AssignsTagsToTheirConnections) {
  const auto plant =
      make_plant(std::vector<TagSpec>{{"Status.StateCurrent", TagType::Int32, "modbus:a/hr0"},
                                      {"Status.CurMachSpeed", TagType::Float64, "modbus:b/ir4:float32"},
                                      {"Status.Blocked", TagType::Bool, "sim:blocked"},
                                      {"Status.Starved", TagType::Bool, "modbus:a/di3"}});
  auto bindings = bind_plant(plant, {named("a"), named("b"), named("idle")});
  ASSERT_TRUE(bindings.ok()) << bindings.error().message;
  ASSERT_EQ(bindings->size(), 3U);
  const auto& a = (*bindings)[0];
  ASSERT_EQ(a.tags.size(), 2U);
  EXPECT_EQ(a.tags[0].index, 0U);
  EXPECT_EQ(a.tags[0].type, TagType::Int32);
  EXPECT_EQ(a.tags[1].address.table, Table::DiscreteInput);
  ASSERT_EQ((*bindings)[1].tags.size(), 1U);
  EXPECT_EQ((*bindings)[1].tags[0].address.type, ValueType::Float32);
  EXPECT_TRUE((*bindings)[2].tags.empty());
}

TEST(TagBinding, ReportsEveryBadTagAtOnce) {
  const auto plant = make_plant(std::vector<TagSpec>{{"A", TagType::Int32, "modbus:plc/hx1"},
                                                     {"B", TagType::Int32, "modbus:other/hr1"},
                                                     {"C", TagType::Int32, "modbus:plc/hr1:float32"},
                                                     {"D", TagType::Int32, "modbus:plc/hr1"}});
  const auto message = binding_error(plant, {named("plc")});
  EXPECT_TRUE(contains(message,
                       "tag site/area/L1/filler/A: unknown Modbus table 'hx' in 'modbus:plc/hx1' (expected "
                       "coil, di, ir, hr)"))
      << message;
  EXPECT_TRUE(contains(message,
                       "tag site/area/L1/filler/B: unknown Modbus connection 'other' in 'modbus:other/hr1' "
                       "(configured: plc)"))
      << message;
  EXPECT_TRUE(contains(
      message, "tag site/area/L1/filler/C: float32 at hr1:float32:ABCD cannot feed a tag of type int32"))
      << message;
  EXPECT_FALSE(contains(message, "filler/D")) << message;

  const auto none =
      binding_error(make_plant(std::vector<TagSpec>{{"A", TagType::Int32, "modbus:plc/hr1"}}), {});
  EXPECT_TRUE(contains(none, "(none configured)")) << none;
}

TEST(TagBinding, RejectsDuplicateConnectionsAndInvalidSettings) {
  const auto plant = make_plant(std::vector<TagSpec>{});
  auto broken = named("plc");
  broken.port = -1;
  const auto message = binding_error(plant, {named("plc"), broken});
  EXPECT_TRUE(contains(message, "modbus connection 'plc' is defined twice")) << message;
  EXPECT_TRUE(contains(message, "port -1")) << message;
}

TEST(TagBinding, TakesCommandTargetsFromPackTagsNamedTags) {
  const auto plant = make_plant(
      std::vector<UnitSpec>{{"filler",
                             {{"Status.StateCurrent", TagType::Int32, "modbus:plc/hr0"},
                              {"Command.CntrlCmd", TagType::Int32, "modbus:plc/hr10:int32:CDAB"},
                              {"Command.CmdChangeRequest", TagType::Bool, "modbus:plc/coil5"}}},
                            {"capper",
                             {{"Status.StateCurrent", TagType::Int32, "modbus:plc/hr1"},
                              {"Command.CntrlCmd", TagType::Int32, "modbus:plc/hr20"}}},
                            {"labeler", {{"Status.StateCurrent", TagType::Int32, "modbus:plc/hr2"}}}});
  auto bindings = bind_plant(plant, {named("plc")});
  ASSERT_TRUE(bindings.ok()) << bindings.error().message;
  const auto& units = (*bindings)[0].units;
  ASSERT_EQ(units.size(), 2U);
  EXPECT_EQ(units[0].unit_id, test::unit_id("filler"));
  EXPECT_EQ(to_string(units[0].target.control_command), "hr10:int32:CDAB");
  ASSERT_TRUE(units[0].target.change_request.has_value());
  EXPECT_EQ(to_string(*units[0].target.change_request), "coil5");
  EXPECT_EQ(units[1].unit_id, test::unit_id("capper"));
  EXPECT_FALSE(units[1].target.change_request.has_value());
}

TEST(TagBinding, ExplicitCommandEntriesWinOverTags) {
  const auto plant = make_plant(std::vector<TagSpec>{{"Command.CntrlCmd", TagType::Int32, "modbus:a/hr10"}});
  auto b = named("b");
  b.commands.push_back({test::unit_id("filler"), "hr300:int32", "hr301:bit0"});
  auto bindings = bind_plant(plant, {named("a"), b});
  ASSERT_TRUE(bindings.ok()) << bindings.error().message;
  EXPECT_TRUE((*bindings)[0].units.empty());
  ASSERT_EQ((*bindings)[1].units.size(), 1U);
  EXPECT_EQ((*bindings)[1].units[0].target.control_command.offset, 300);
  EXPECT_EQ((*bindings)[1].units[0].target.change_request->bit, 0);
}

TEST(TagBinding, RejectsUnwritableOrUnknownCommandTargets) {
  const auto plant =
      make_plant(std::vector<UnitSpec>{{"filler", {{"Command.CntrlCmd", TagType::Int32, "modbus:plc/ir10"}}},
                                       {"capper",
                                        {{"Command.CntrlCmd", TagType::Int32, "modbus:plc/hr10"},
                                         {"Command.CmdChangeRequest", TagType::Bool, "modbus:other/coil1"}}},
                                       {"labeler",
                                        {{"Command.CntrlCmd", TagType::Int32, "modbus:plc/hr20"},
                                         {"Command.CmdChangeRequest", TagType::Bool, "modbus:plc/di1"}}}});
  auto plc = named("plc");
  plc.commands.push_back({"nowhere/unit", "hr1", std::nullopt});
  const auto message = binding_error(plant, {plc, named("other")});
  EXPECT_TRUE(contains(message,
                       "unit site/area/L1/filler: Command.CntrlCmd at 'modbus:plc/ir10' must be an integer "
                       "holding register"))
      << message;
  EXPECT_TRUE(contains(message,
                       "unit site/area/L1/capper: Command.CntrlCmd and Command.CmdChangeRequest must be on "
                       "the same Modbus connection"))
      << message;
  EXPECT_TRUE(contains(message,
                       "unit site/area/L1/labeler: Command.CmdChangeRequest at 'modbus:plc/di1' must be a "
                       "coil"))
      << message;
  EXPECT_TRUE(contains(message, "commands name unknown unit 'nowhere/unit'")) << message;
}

TEST(ModbusDriver, CreateAndValidateReportConfigurationProblems) {
  const auto plant = make_plant(std::vector<TagSpec>{{"A", TagType::Int32, "modbus:plc/hx1"}});
  ManualClock clock;
  auto driver = ModbusDriver::create(plant, {named("plc")}, clock);
  ASSERT_FALSE(driver.ok());
  EXPECT_TRUE(contains(driver.error().message, "unknown Modbus table 'hx'"));
  EXPECT_FALSE(ModbusDriver::validate(plant, {named("plc")}).ok());

  const auto good = make_plant(std::vector<TagSpec>{{"A", TagType::Int32, "modbus:plc/hr1"}});
  EXPECT_TRUE(ModbusDriver::validate(good, {named("plc")}).ok());
  auto created = ModbusDriver::create(good, {named("plc")}, clock);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ((*created)->scheme(), "modbus");
  EXPECT_EQ((*created)->plan("plc").size(), 1U);
  EXPECT_TRUE((*created)->plan("nope").empty());
}

TEST(ModbusDriver, RefusesCommandsForUnitsWithoutATarget) {
  const auto plant =
      make_plant(std::vector<TagSpec>{{"Status.StateCurrent", TagType::Int32, "modbus:plc/hr1"}});
  ManualClock clock;
  auto driver = ModbusDriver::create(plant, {named("plc")}, clock);
  ASSERT_TRUE(driver.ok());
  auto sent =
      (*driver)->send_command(plant.sites[0].areas[0].work_centers[0].units[0], states::PackMLCommand::Start);
  ASSERT_FALSE(sent.ok());
  EXPECT_TRUE(contains(sent.error().message, "has no Modbus command target")) << sent.error().message;
}

}  // namespace
}  // namespace strata::modbus
