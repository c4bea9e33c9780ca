// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI, ext4 and
// Protocol Buffers' framing. Chosen for the catalogue file because it is a well-known, well-tested
// algorithm with published check values; software slicing-by-8, so it runs the same in wasm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace localrec {

// Extends `crc` (the value returned for the preceding bytes; 0 to start) over `data`.
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);

}  // namespace localrec
