// What a catalogue item's stored metadata must be (docs/catalog-format.md): empty, or a JSON
// object without a "tags" key (tags have their own section) whose title, url and text, when
// present, are strings. Checked at load without building a document (loading is on the critical
// path of a page).
#pragma once

#include <string>
#include <string_view>

namespace localrec::catalog_format {

// "" when `json` (valid UTF-8, non-empty) is acceptable; otherwise what is wrong, to follow
// "metadata of item i" in a message (": has a \"tags\" key ...", " is not a JSON object").
std::string CheckMetadataJson(std::string_view json);

}  // namespace localrec::catalog_format
