// The driver against a real libmodbus TCP server on 127.0.0.1: decoding, change-only pushing,
// connection loss and reconnect, refused reads, and the PackTags command handshake. No timed
// assertions: every wait is for a condition, with a generous deadline.
#include "drivers/modbus/modbus_driver.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "modbus_test_server.hpp"
#include "modbus_test_support.hpp"

namespace strata::modbus {
namespace {

using model::Quality;
using model::TagType;
using model::Value;
using states::PackMLCommand;
using test::make_plant;
using test::ModbusTestServer;
using test::RecordingSink;
using test::TagSpec;
using test::UnitSpec;

std::unique_ptr<ModbusDriver> make_driver(const model::Plant& plant,
                                          std::vector<ConnectionSettings> connections, const Clock& clock) {
  auto driver = ModbusDriver::create(plant, std::move(connections), clock);
  if (!driver.ok()) ADD_FAILURE() << driver.error().message;
  return driver.ok() ? std::move(driver.value()) : nullptr;
}

const model::WorkUnit& unit_named(const model::Plant& plant, std::string_view local_id) {
  return *plant.find_unit(test::unit_id(local_id));
}

struct Expectation {
  TagSpec tag;
  Value value;
};

TEST(ModbusDriverOnServer, DecodesEveryTypeAndWordOrder) {
  ModbusTestServer server;
  server.set_holding_registers(0,
                               {0x3FC0, 0x0000, 0x0000, 0x3FC0, 0xC03F, 0x0000, 0x0000, 0xC03F});  // 1.5f x4
  server.set_holding_registers(
      10, {0xF8A4, 0x32EB, 0x32EB, 0xF8A4, 0xA4F8, 0xEB32, 0xEB32, 0xA4F8});  // -123456789 x4
  server.set_holding_registers(20, {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFE});
  server.set_holding_registers(24, {0x0708, 0x0506, 0x0304, 0x0102});  // int64 CDAB
  server.set_holding_registers(28, {0xC004, 0x0000, 0x0000, 0x0000});  // -2.5
  server.set_holding_registers(32, {0x0000, 0x0000, 0x0000, 0x04C0});  // -2.5 DCBA
  server.set_holding_registers(40, {0x0008});
  server.set_input_registers(0, {0xFFF6});
  server.set_input_registers(5, {0xEB32, 0xA4F8});
  server.set_coil(12, true);
  server.set_discrete_input(3, true);

  const std::vector<Expectation> expectations{
      {{"F32.ABCD", TagType::Float32, "modbus:plc/hr0:float32:ABCD"}, 1.5},
      {{"F32.CDAB", TagType::Float32, "modbus:plc/hr2:float32:CDAB"}, 1.5},
      {{"F32.BADC", TagType::Float32, "modbus:plc/hr4:float32:BADC"}, 1.5},
      {{"F32.DCBA", TagType::Float32, "modbus:plc/hr6:float32:DCBA"}, 1.5},
      {{"I32.ABCD", TagType::Int32, "modbus:plc/hr10:int32"}, std::int64_t{-123456789}},
      {{"I32.CDAB", TagType::Int32, "modbus:plc/hr12:int32:CDAB"}, std::int64_t{-123456789}},
      {{"I32.BADC", TagType::Int32, "modbus:plc/hr14:int32:BADC"}, std::int64_t{-123456789}},
      {{"I32.DCBA", TagType::Int32, "modbus:plc/hr16:int32:DCBA"}, std::int64_t{-123456789}},
      {{"I16", TagType::Int32, "modbus:plc/hr20"}, std::int64_t{-1}},
      {{"U16", TagType::Int32, "modbus:plc/hr21:uint16"}, std::int64_t{65535}},
      {{"U32", TagType::Int64, "modbus:plc/hr22:uint32"}, std::int64_t{4294967294}},
      {{"I64.CDAB", TagType::Int64, "modbus:plc/hr24:int64:CDAB"}, std::int64_t{0x0102030405060708}},
      {{"F64.ABCD", TagType::Float64, "modbus:plc/hr28:float64"}, -2.5},
      {{"F64.DCBA", TagType::Float64, "modbus:plc/hr32:float64:DCBA"}, -2.5},
      {{"Bit3", TagType::Bool, "modbus:plc/hr40:bit3"}, true},
      {{"Bit2", TagType::Bool, "modbus:plc/hr40:bit2"}, false},
      {{"IR.Int16AsFloat", TagType::Float64, "modbus:plc/ir0"}, -10.0},
      {{"IR.I32.DCBA", TagType::Int32, "modbus:plc/ir5:int32:DCBA"}, std::int64_t{-123456789}},
      {{"Coil12", TagType::Bool, "modbus:plc/coil12"}, true},
      {{"Coil13", TagType::Bool, "modbus:plc/coil13"}, false},
      {{"DI3", TagType::Bool, "modbus:plc/di3"}, true},
  };
  std::vector<TagSpec> tags;
  for (const auto& expectation : expectations) tags.push_back(expectation.tag);
  const auto plant = make_plant(tags);
  ManualClock clock;
  auto driver = make_driver(plant, {test::local_connection(server.port())}, clock);
  ASSERT_NE(driver, nullptr);
  RecordingSink sink;
  driver->start(sink);

  ASSERT_TRUE(sink.wait_until([&](const auto& latest) { return latest.size() == expectations.size(); }));
  for (std::size_t i = 0; i < expectations.size(); ++i) {
    const auto update = sink.latest(static_cast<model::TagIndex>(i));
    ASSERT_TRUE(update.has_value());
    EXPECT_EQ(update->value, expectations[i].value) << expectations[i].tag.source;
    EXPECT_EQ(update->quality, Quality::Good) << expectations[i].tag.source;
    EXPECT_EQ(update->source_time, clock.now()) << "stamped by the injected clock";
  }
  // Registers 0..41 in one read (the gaps are small), one input-register, one coil and one di read.
  EXPECT_EQ(driver->plan("plc").size(), 4U);
  driver->stop();
}

TEST(ModbusDriverOnServer, PollsAThousandTagsWithAFewRequests) {
  ModbusTestServer server;
  constexpr int kTags = 1000;
  std::vector<std::uint16_t> registers(2 * kTags);
  std::vector<TagSpec> tags;
  for (int i = 0; i < kTags; ++i) {
    registers[static_cast<std::size_t>(2 * i)] = static_cast<std::uint16_t>(i);
    tags.push_back({"T" + std::to_string(i), TagType::Int32, "modbus:plc/hr" + std::to_string(2 * i)});
  }
  server.set_holding_registers(0, registers);
  const auto plant = make_plant(tags);
  ManualClock clock;
  auto driver = make_driver(plant, {test::local_connection(server.port())}, clock);
  ASSERT_NE(driver, nullptr);
  EXPECT_EQ(driver->plan("plc").size(), 16U);  // 1,999 registers in reads of up to 125
  RecordingSink sink;
  driver->start(sink);
  ASSERT_TRUE(sink.wait_until([&](const auto& latest) { return latest.size() == plant.tags.size(); }));
  for (int i = 0; i < kTags; ++i) {
    EXPECT_EQ(sink.latest(static_cast<model::TagIndex>(i))->value, Value{std::int64_t{i}});
  }
  EXPECT_EQ(sink.batches().size(), 1U) << "one poll, one batch";
  driver->stop();
}

TEST(ModbusDriverOnServer, PushesOnlyChangedValues) {
  ModbusTestServer server;
  server.set_holding_registers(0, {11, 22});
  const auto plant = make_plant(std::vector<TagSpec>{{"Steady", TagType::Int32, "modbus:plc/hr0"},
                                                     {"Moving", TagType::Int32, "modbus:plc/hr1"}});
  const auto steady = test::tag_index(plant, "filler", "Steady");
  const auto moving = test::tag_index(plant, "filler", "Moving");
  ManualClock clock;
  auto driver = make_driver(plant, {test::local_connection(server.port())}, clock);
  ASSERT_NE(driver, nullptr);
  RecordingSink sink;
  driver->start(sink);

  ASSERT_TRUE(sink.wait_for_value(moving, std::int64_t{22}));
  ASSERT_TRUE(sink.wait_for_value(steady, std::int64_t{11}));
  const auto polls_then = driver->stats()[0].polls;
  ASSERT_TRUE(test::eventually([&] { return driver->stats()[0].polls >= polls_then + 5; }));
  EXPECT_EQ(sink.batches().size(), 1U) << "unchanged values are not pushed again";

  clock.advance(kMicrosPerSecond);
  server.set_holding_registers(1, {23});
  ASSERT_TRUE(sink.wait_for_value(moving, std::int64_t{23}));
  EXPECT_EQ(sink.updates_of(steady), 1U);
  EXPECT_EQ(sink.updates_of(moving), 2U);
  const auto batches = sink.batches();
  ASSERT_EQ(batches.size(), 2U);
  ASSERT_EQ(batches[1].size(), 1U);
  EXPECT_EQ(batches[1][0].source_time, clock.now());

  const auto stats = driver->stats();
  ASSERT_EQ(stats.size(), 1U);
  EXPECT_EQ(stats[0].connection, "plc");
  EXPECT_TRUE(stats[0].connected);
  EXPECT_GE(stats[0].requests, stats[0].polls);  // one request per poll here
  EXPECT_EQ(stats[0].errors, 0U);
  EXPECT_EQ(stats[0].reconnects, 0U);

  const auto metrics = driver->metrics();  // what /metrics shows
  ASSERT_EQ(metrics.size(), 1U);
  EXPECT_EQ(metrics[0].driver, "modbus");
  EXPECT_EQ(metrics[0].connection, "plc");
  EXPECT_TRUE(metrics[0].connected);
  EXPECT_EQ(metrics[0].values, 3U) << "two first values and one change";
  EXPECT_GE(metrics[0].reads, 5U);
  EXPECT_EQ(metrics[0].latency_count, metrics[0].reads);
  EXPECT_GT(metrics[0].latency_seconds_sum, 0.0);
  driver->stop();
}

TEST(ModbusDriverOnServer, MarksTagsBadWhenTheServerGoesAwayAndGoodWhenItComesBack) {
  ModbusTestServer server;
  server.set_holding_registers(0, {5});
  server.set_coil(1, true);
  const auto plant = make_plant(std::vector<TagSpec>{{"Count", TagType::Int64, "modbus:plc/hr0"},
                                                     {"Running", TagType::Bool, "modbus:plc/coil1"}});
  const auto count = test::tag_index(plant, "filler", "Count");
  const auto running = test::tag_index(plant, "filler", "Running");
  ManualClock clock;
  auto driver = make_driver(plant, {test::local_connection(server.port())}, clock);
  ASSERT_NE(driver, nullptr);
  RecordingSink sink;
  driver->start(sink);
  ASSERT_TRUE(sink.wait_for_value(count, std::int64_t{5}));
  ASSERT_TRUE(sink.wait_for_value(running, true));

  server.go_away();
  ASSERT_TRUE(sink.wait_for_quality(count, Quality::Bad));
  ASSERT_TRUE(sink.wait_for_quality(running, Quality::Bad));
  // One batch marks every tag of the connection, keeping the last known values.
  const auto batches = sink.batches();
  const auto& loss = batches.back();
  ASSERT_EQ(loss.size(), 2U);
  for (const auto& update : loss) EXPECT_EQ(update.quality, Quality::Bad);
  EXPECT_EQ(loss[0].value, Value{std::int64_t{5}});
  EXPECT_EQ(loss[1].value, Value{true});
  ASSERT_TRUE(test::eventually([&] { return !driver->stats()[0].connected; }));
  EXPECT_FALSE(driver->stats()[0].last_error.empty());
  EXPECT_FALSE(driver->send_command(unit_named(plant, "filler"), PackMLCommand::Start).ok());

  server.set_holding_registers(0, {6});
  server.come_back();
  ASSERT_TRUE(sink.wait_for_value(count, std::int64_t{6}));
  ASSERT_TRUE(sink.wait_for_value(running, true)) << "same value, but its quality is good again";
  ASSERT_TRUE(test::eventually([&] { return driver->stats()[0].connected; }));
  const auto stats = driver->stats()[0];
  EXPECT_EQ(stats.reconnects, 1U);
  EXPECT_GE(stats.errors, 1U);
  // Nothing more was pushed while the server was away: one Bad batch, not one per failed attempt.
  const auto after = sink.batches();
  const auto bad_batches = std::count_if(after.begin(), after.end(), [](const auto& batch) {
    return std::all_of(batch.begin(), batch.end(),
                       [](const auto& update) { return update.quality == Quality::Bad; });
  });
  EXPECT_EQ(bad_batches, 1);
  driver->stop();
}

TEST(ModbusDriverOnServer, ALostConnectionMarksOnlyItsOwnTags) {
  ModbusTestServer filler_plc;
  ModbusTestServer capper_plc;
  filler_plc.set_holding_registers(0, {1});
  capper_plc.set_holding_registers(0, {2});
  const auto plant = make_plant(std::vector<TagSpec>{{"Filler", TagType::Int32, "modbus:filler-plc/hr0"},
                                                     {"Capper", TagType::Int32, "modbus:capper-plc/hr0"}});
  ManualClock clock;
  auto driver = make_driver(plant,
                            {test::local_connection(filler_plc.port(), "filler-plc"),
                             test::local_connection(capper_plc.port(), "capper-plc")},
                            clock);
  ASSERT_NE(driver, nullptr);
  RecordingSink sink;
  driver->start(sink);
  ASSERT_TRUE(sink.wait_for_value(0, std::int64_t{1}));
  ASSERT_TRUE(sink.wait_for_value(1, std::int64_t{2}));

  capper_plc.go_away();
  ASSERT_TRUE(sink.wait_for_quality(1, Quality::Bad));
  capper_plc.set_holding_registers(0, {3});
  filler_plc.set_holding_registers(0, {4});
  ASSERT_TRUE(sink.wait_for_value(0, std::int64_t{4})) << "the other connection keeps polling";
  EXPECT_EQ(sink.updates_of(0), 2U) << "and its tag never went bad";
  const auto stats = driver->stats();
  ASSERT_EQ(stats.size(), 2U);
  EXPECT_EQ(stats[0].connection, "filler-plc");
  EXPECT_TRUE(stats[0].connected);
  EXPECT_EQ(stats[1].connection, "capper-plc");

  capper_plc.come_back();
  ASSERT_TRUE(sink.wait_for_value(1, std::int64_t{3}));
  driver->stop();
}

TEST(ModbusDriverOnServer, ConnectsOnceTheServerAppears) {
  ModbusTestServer server;
  server.set_holding_registers(3, {42});
  server.go_away();
  const auto plant = make_plant(std::vector<TagSpec>{{"Value", TagType::Int32, "modbus:plc/hr3"}});
  ManualClock clock;
  auto driver = make_driver(plant, {test::local_connection(server.port())}, clock);
  ASSERT_NE(driver, nullptr);
  RecordingSink sink;
  driver->start(sink);
  ASSERT_TRUE(test::eventually([&] { return driver->stats()[0].errors >= 2; })) << "retries with backoff";
  EXPECT_TRUE(sink.batches().empty()) << "tags never read are already bad in the engine";

  server.come_back();
  ASSERT_TRUE(sink.wait_for_value(0, std::int64_t{42}));
  EXPECT_EQ(driver->stats()[0].reconnects, 0U) << "a first connection is not a reconnect";
  driver->stop();
}

TEST(ModbusDriverOnServer, ARefusedReadMarksOnlyItsOwnTags) {
  ModbusTestServer server;
  server.set_holding_registers(0, {1});
  const auto plant = make_plant(std::vector<TagSpec>{
      {"Mapped", TagType::Int32, "modbus:plc/hr0"},
      {"Unmapped", TagType::Int32, "modbus:plc/hr" + std::to_string(ModbusTestServer::kTableSize + 10)}});
  const auto mapped = test::tag_index(plant, "filler", "Mapped");
  const auto unmapped = test::tag_index(plant, "filler", "Unmapped");
  ManualClock clock;
  auto driver = make_driver(plant, {test::local_connection(server.port())}, clock);
  ASSERT_NE(driver, nullptr);
  RecordingSink sink;
  driver->start(sink);

  ASSERT_TRUE(sink.wait_for_value(mapped, std::int64_t{1}));
  ASSERT_TRUE(test::eventually([&] { return driver->stats()[0].polls >= 3; }));
  const auto stats = driver->stats()[0];
  EXPECT_GE(stats.errors, 3U);
  EXPECT_NE(stats.last_error.find("reading hr4106: Illegal data address"), std::string::npos)
      << stats.last_error;
  EXPECT_TRUE(stats.connected) << "an exception response is not a connection loss";
  EXPECT_EQ(server.connections_accepted(), 1);
  EXPECT_EQ(sink.updates_of(unmapped), 0U);
  driver->stop();
}

TEST(ModbusDriverOnServer, WritesTheCommandHandshake) {
  ModbusTestServer server;
  server.set_holding_registers(301, {0x0001});  // bit 0 belongs to someone else and must survive
  const auto plant = make_plant(
      std::vector<UnitSpec>{{"filler",
                             {{"Status.StateCurrent", TagType::Int32, "modbus:plc/hr100"},
                              {"Command.CntrlCmd", TagType::Int32, "modbus:plc/hr200:int32:CDAB"},
                              {"Command.CmdChangeRequest", TagType::Bool, "modbus:plc/coil5"}}},
                            {"capper", {{"Status.StateCurrent", TagType::Int32, "modbus:plc/hr101"}}}});
  auto connection = test::local_connection(server.port());
  connection.commands.push_back({test::unit_id("capper"), "hr300", "hr301:bit2"});
  ManualClock clock;
  auto driver = make_driver(plant, {connection}, clock);
  ASSERT_NE(driver, nullptr);
  RecordingSink sink;
  driver->start(sink);
  ASSERT_TRUE(sink.wait_until([&](const auto& latest) { return latest.size() == plant.tags.size(); }));

  ASSERT_TRUE(driver->send_command(unit_named(plant, "filler"), PackMLCommand::Start).ok());
  ASSERT_TRUE(test::eventually([&] { return server.coil(5); }));
  EXPECT_EQ(server.holding_register(200), 2) << "CntrlCmd = Start (2), CDAB: low word first";
  EXPECT_EQ(server.holding_register(201), 0);
  // The change request comes after the command number, so the PLC latches the right command.
  const auto requests = server.requests();
  const auto control = std::find_if(requests.begin(), requests.end(), [](const auto& request) {
    return request.function == 16 && request.address == 200;
  });
  const auto latch = std::find_if(requests.begin(), requests.end(), [](const auto& request) {
    return request.function == 5 && request.address == 5;
  });
  ASSERT_NE(control, requests.end());
  ASSERT_NE(latch, requests.end());
  EXPECT_LT(control - requests.begin(), latch - requests.begin());

  ASSERT_TRUE(driver->send_command(unit_named(plant, "capper"), PackMLCommand::Abort).ok());
  ASSERT_TRUE(test::eventually([&] { return server.holding_register(301) == 0x0005; }));
  EXPECT_EQ(server.holding_register(300), 8) << "CntrlCmd = Abort (8), written with FC6";
  ASSERT_TRUE(test::eventually([&] { return driver->stats()[0].commands_written == 2; }));
  EXPECT_EQ(driver->stats()[0].commands_failed, 0U);
  // The command register is polled too, so the engine sees the command that was written.
  ASSERT_TRUE(sink.wait_for_value(test::tag_index(plant, "filler", "Command.CntrlCmd"), std::int64_t{2}));
  driver->stop();
}

TEST(ModbusDriverOnServer, ARefusedCommandWriteIsCountedAndTheConnectionStays) {
  ModbusTestServer server;
  const auto beyond = std::to_string(ModbusTestServer::kTableSize + 1);
  const auto plant =
      make_plant(std::vector<TagSpec>{{"Status.StateCurrent", TagType::Int32, "modbus:plc/hr0"}});
  auto connection = test::local_connection(server.port());
  connection.commands.push_back({test::unit_id("filler"), "hr" + beyond, "coil1"});
  ManualClock clock;
  auto driver = make_driver(plant, {connection}, clock);
  ASSERT_NE(driver, nullptr);
  RecordingSink sink;
  driver->start(sink);
  ASSERT_TRUE(sink.wait_for_value(0, std::int64_t{0}));

  ASSERT_TRUE(driver->send_command(unit_named(plant, "filler"), PackMLCommand::Stop).ok());
  ASSERT_TRUE(test::eventually([&] { return driver->stats()[0].commands_failed == 1; }));
  const auto stats = driver->stats()[0];
  EXPECT_EQ(stats.commands_written, 0U);
  EXPECT_NE(stats.last_error.find("writing Stop to unit site/area/L1/filler: Illegal data address"),
            std::string::npos)
      << stats.last_error;
  EXPECT_TRUE(stats.connected);
  EXPECT_FALSE(server.coil(1)) << "no change request without the command number";
  EXPECT_EQ(server.connections_accepted(), 1);
  driver->stop();
}

TEST(ModbusDriverOnServer, StopsAndCanBeStoppedTwice) {
  ModbusTestServer server;
  const auto plant = make_plant(std::vector<TagSpec>{
      {"Value", TagType::Int32, "modbus:plc/hr0"}, {"Command.CntrlCmd", TagType::Int32, "modbus:plc/hr10"}});
  ManualClock clock;
  auto driver = make_driver(plant, {test::local_connection(server.port())}, clock);
  ASSERT_NE(driver, nullptr);
  RecordingSink sink;
  driver->start(sink);
  ASSERT_TRUE(sink.wait_for_value(0, std::int64_t{0}));
  ASSERT_TRUE(driver->send_command(unit_named(plant, "filler"), PackMLCommand::Reset).ok());
  driver->stop();
  driver->stop();
  EXPECT_FALSE(driver->stats()[0].connected);
  const auto refused = driver->send_command(unit_named(plant, "filler"), PackMLCommand::Start);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("is not connected"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace strata::modbus
