#include "tests/support/metrics_scrape.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace erpsync::testing {

HttpResponse HttpGet(int port, const std::string& path) {
  HttpResponse response;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return response;
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string raw;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    const std::string request =
        "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      // Until the body's Content-Length arrived (civetweb may keep the
      // connection open a while after answering), or the server closes.
      char buffer[16384];
      ssize_t n;
      while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) {
        raw.append(buffer, static_cast<size_t>(n));
        const size_t head_end = raw.find("\r\n\r\n");
        if (head_end == std::string::npos) continue;
        std::string head = raw.substr(0, head_end);
        for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const size_t length_at = head.find("\r\ncontent-length:");
        if (length_at == std::string::npos) continue;
        const size_t length = std::strtoul(head.c_str() + length_at + 17, nullptr, 10);
        if (raw.size() >= head_end + 4 + length) break;
      }
    }
  }
  close(fd);
  const size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) return response;
  response.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  const std::string head = raw.substr(0, end);
  std::istringstream lines(head);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string key = "content-type:";
    if (line.size() > key.size()) {
      std::string lower = line.substr(0, key.size());
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == key)
        response.content_type = line.substr(line.find_first_not_of(' ', key.size()));
    }
  }
  response.body = raw.substr(end + 4);
  return response;
}

std::optional<double> SampleValue(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::strtod(line.c_str() + series.size() + 1, nullptr);
    }
  }
  return std::nullopt;
}

double SumSamples(const std::string& text, const std::string& name, const std::string& having) {
  std::vector<std::string> wanted;
  std::istringstream pairs(having);
  std::string pair;
  while (std::getline(pairs, pair, ',')) {
    if (!pair.empty()) wanted.push_back(pair);
  }
  double sum = 0;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || line.compare(0, name.size(), name) != 0) continue;
    const char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != '{' && next != ' ') continue;
    const size_t value_at = line.rfind(' ');
    const std::string labels = line.substr(name.size(), value_at - name.size());
    bool matches = true;
    for (const std::string& label : wanted) {
      if (labels.find(label) == std::string::npos) matches = false;
    }
    if (matches) sum += std::strtod(line.c_str() + value_at + 1, nullptr);
  }
  return sum;
}

}  // namespace erpsync::testing
