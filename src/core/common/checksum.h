// The checksums of localrec's binary files, from one table-driven CRC-32 implementation
// (software slicing-by-8, so it runs the same natively and in wasm). Both are well-known,
// well-tested algorithms with published check values; each file format keeps the one it was
// defined with:
//   Crc32c  CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as in iSCSI, ext4 and
//           Protocol Buffers' framing: the catalogue file (.lrc) and the Chinese dictionary.
//   Crc32   CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as in zlib and PNG: the saved
//           profile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace localrec {

// Each extends `crc` (the value returned for the preceding bytes; 0 to start) over `data`.
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);
uint32_t Crc32(std::string_view data, uint32_t crc = 0);

}  // namespace localrec
