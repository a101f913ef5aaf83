// Where a staged OPC UA server listens, from the connection's endpoint URL.
#include "staging/opcua_endpoint.hpp"

#include <gtest/gtest.h>

namespace strata::staging {
namespace {

TEST(OpcUaEndpoint, HostPortAndPathComeFromTheUrl) {
  const auto endpoint = parse_endpoint("opc.tcp://127.0.0.1:4841/strata");
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
  EXPECT_EQ(endpoint->host, "127.0.0.1");
  EXPECT_EQ(endpoint->port, 4841);
  EXPECT_EQ(endpoint->resource_path, "/strata");

  const auto ipv6 = parse_endpoint("opc.tcp://[::1]:4842");
  ASSERT_TRUE(ipv6.ok());
  EXPECT_EQ(ipv6->host, "::1");
  EXPECT_EQ(ipv6->port, 4842);
  EXPECT_EQ(ipv6->resource_path, "");

  EXPECT_EQ(parse_endpoint("opc.tcp://plc.local")->port, 4840);  // OPC UA's registered port
}

TEST(OpcUaEndpoint, MalformedUrlsAreRefused) {
  for (const auto* url : {"http://127.0.0.1:4840", "opc.tcp://:4840", "opc.tcp://host:0",
                          "opc.tcp://host:99999", "opc.tcp://host:48x0", "opc.tcp://[::1"}) {
    EXPECT_FALSE(parse_endpoint(url).ok()) << url;
  }
}

}  // namespace
}  // namespace strata::staging
