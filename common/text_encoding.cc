#include "common/text_encoding.h"

#include <array>
#include <cstdio>

namespace erpsync {
namespace {

// Windows-1252 0x80..0x9F as code points; 0 where the code page has no
// character (0x81, 0x8D, 0x8F, 0x90, 0x9D). 0xA0..0xFF are U+00A0..U+00FF.
constexpr std::array<uint16_t, 32> kWindows1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::string ByteText(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof(buffer), "0x%02X", byte);
  return buffer;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

Result<TextEncoding> ParseTextEncoding(std::string_view name) {
  for (std::string_view utf8 : {"utf-8", "utf8"}) {
    if (EqualsIgnoreCase(name, utf8)) return TextEncoding::kUtf8;
  }
  for (std::string_view cp1252 : {"windows-1252", "cp1252"}) {
    if (EqualsIgnoreCase(name, cp1252)) return TextEncoding::kWindows1252;
  }
  return InvalidArgumentError("unknown text encoding '" + std::string(name) +
                              "' (utf-8 or windows-1252)");
}

std::string_view TextEncodingName(TextEncoding encoding) {
  return encoding == TextEncoding::kUtf8 ? "utf-8" : "windows-1252";
}

size_t FindInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t code_point;
    uint32_t minimum;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
      minimum = 0x10000;
    } else {
      return i;  // a continuation byte, or 0xF8..0xFF
    }
    if (i + length > size) return i;
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      code_point = (code_point << 6) | (bytes[i + k] & 0x3F);
    }
    if (code_point < minimum || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

std::string Utf8OrReplaced(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  while (!text.empty()) {
    const size_t bad = FindInvalidUtf8(text);
    if (bad == std::string_view::npos) {
      out.append(text);
      break;
    }
    out.append(text.substr(0, bad));
    out.append("\xEF\xBF\xBD");  // U+FFFD
    text.remove_prefix(bad + 1);
  }
  return out;
}

Result<std::string_view> ToUtf8(TextEncoding encoding, std::string_view text,
                                std::string* scratch) {
  if (IsAscii(text)) return text;
  if (encoding == TextEncoding::kUtf8) {
    const size_t bad = FindInvalidUtf8(text);
    if (bad == std::string_view::npos) return text;
    return InvalidArgumentError("byte " + ByteText(static_cast<unsigned char>(text[bad])) +
                                " at offset " + std::to_string(bad) +
                                " starts no valid UTF-8 sequence");
  }
  scratch->clear();
  scratch->reserve(text.size() + text.size() / 2);
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      scratch->push_back(static_cast<char>(byte));
    } else if (byte >= 0xA0) {
      AppendUtf8(byte, scratch);
    } else if (const uint16_t code_point = kWindows1252High[byte - 0x80]; code_point != 0) {
      AppendUtf8(code_point, scratch);
    } else {
      return InvalidArgumentError("byte " + ByteText(byte) + " at offset " + std::to_string(i) +
                                  " is not Windows-1252");
    }
  }
  return std::string_view(*scratch);
}

}  // namespace erpsync
