#pragma once
// Where a tag's value lives on an OPC UA server, as written in the tag's `source`:
//
//   opcua:<connection>/<node id>
//
//   <connection>  name of a `connections: opcua:` entry (letters, digits, '_', '-', '.')
//   <node id>     [ns=<namespace index>;]<identifier>, the identifier one of
//                 i=<number 0..4294967295>, s=<string>, g=<GUID 8-4-4-4-12 hex>, b=<base64 bytes>
//                 (the OPC UA text form, as `strata opcua browse` prints it)
//
// Examples: opcua:filler-plc/ns=2;s=Filler.Status.StateCurrent, opcua:plc/ns=3;i=1007
// The node id runs to the end of the source, so string identifiers may contain '/'.
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "model/tag.hpp"

namespace strata::opcua {

inline constexpr std::string_view kScheme = "opcua";

struct OpcUaSource {
  std::string connection;
  std::string node_id;
};

// Checks the node-id text form; `context` names it in messages (defaults to the text itself).
[[nodiscard]] Result<void> check_node_id(std::string_view node_id, std::string_view context = {});
// Parses "opcua:<connection>/<node id>"; messages quote the whole source.
[[nodiscard]] Result<OpcUaSource> parse_opcua_source(std::string_view source);
// parse_opcua_source with messages prefixed "tag <id>: ".
[[nodiscard]] Result<OpcUaSource> parse_tag_source(const model::Tag& tag);

// The protocol data type (docs/connector-protocol.md) a tag type is read and written as.
[[nodiscard]] std::string_view data_type_for(model::TagType type);

}  // namespace strata::opcua
