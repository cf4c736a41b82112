#include "server/notify/mail_sender.h"

#include <ctime>

namespace erpsync::server {
namespace {

std::string HeaderValue(const std::string& value) {
  std::string clean;
  for (const char c : value) {
    if (c != '\r' && c != '\n') clean += c;
  }
  return clean;
}

bool IsAscii(const std::string& text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string Base64(const std::string& data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(data[i]) << 16) |
                       (static_cast<uint8_t>(data[i + 1]) << 8) | static_cast<uint8_t>(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < data.size()) {
    uint32_t n = static_cast<uint8_t>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<uint8_t>(data[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string RfcDate(int64_t unix_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof(buffer), "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return buffer;
}

}  // namespace

std::string FormatMailMessage(const OutboxMessage& message, const std::string& from) {
  const std::string subject = HeaderValue(message.subject);
  std::string text;
  text += "From: erpsync <" + HeaderValue(from) + ">\r\n";
  text += "To: " + HeaderValue(message.recipient) + "\r\n";
  text +=
      "Subject: " + (IsAscii(subject) ? subject : "=?UTF-8?B?" + Base64(subject) + "?=") + "\r\n";
  text += "Date: " + RfcDate(message.created_unix) + "\r\n";
  text += "Message-ID: <outbox-" + std::to_string(message.id) + "." +
          std::to_string(message.created_unix) + "@erpsync>\r\n";
  text += "MIME-Version: 1.0\r\n";
  text += "Content-Type: text/plain; charset=utf-8\r\n";
  text += "Content-Transfer-Encoding: 8bit\r\n";
  text += "X-Erpsync-Kind: " + HeaderValue(message.kind) + "\r\n";
  text += "\r\n";
  for (size_t i = 0; i < message.body.size(); ++i) {
    const char c = message.body[i];
    if (c == '\r') continue;
    if (c == '\n') {
      text += "\r\n";
    } else {
      text += c;
    }
  }
  if (!message.body.empty() && message.body.back() != '\n') text += "\r\n";
  return text;
}

}  // namespace erpsync::server
