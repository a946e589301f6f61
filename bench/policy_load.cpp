// SPDX-License-Identifier: GPL-3.0-or-later
// A bounded load generator for `mailgroup policy --socket`: COUNT requests,
// one at a time on one connection (each waits for its answer, as smtpd's
// do), cycling through the sender/recipient pairs of PAIRS (one pair a
// line, separated by a space). Prints requests per second, latency
// percentiles and how often each answer came.
//   c++ -O2 -std=c++20 -o policy_load bench/policy_load.cpp
//   policy_load SOCKET PAIRS COUNT
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: policy_load SOCKET PAIRS COUNT\n");
    return 64;
  }
  std::vector<std::string> requests;
  std::ifstream pairs(argv[2]);
  for (std::string sender, recipient; pairs >> sender >> recipient;) {
    requests.push_back("request=smtpd_access_policy\nprotocol_state=RCPT\n"
                       "protocol_name=ESMTP\nclient_address=192.0.2.1\n"
                       "client_name=client.example.net\nhelo_name=client\n"
                       "queue_id=\nsize=0\nsender=" +
                       (sender == "<>" ? std::string() : sender) +
                       "\nrecipient=" + recipient + "\nrecipient_count=0\n\n");
  }
  long count = std::atol(argv[3]);
  if (requests.empty() || count <= 0) {
    std::fprintf(stderr, "policy_load: no pairs, or COUNT not positive\n");
    return 65;
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, argv[1], sizeof(address.sun_path) - 1);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    std::perror("connect");
    return 69;
  }
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(count));
  std::map<std::string, long> answers;
  char buffer[4096];
  auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    const auto& request = requests[static_cast<std::size_t>(i) % requests.size()];
    auto sent = std::chrono::steady_clock::now();
    if (write(fd, request.data(), request.size()) !=
        static_cast<ssize_t>(request.size())) {
      std::perror("write");
      return 74;
    }
    std::string answer;
    while (answer.size() < 2 || answer.compare(answer.size() - 2, 2, "\n\n") != 0) {
      auto got = read(fd, buffer, sizeof buffer);
      if (got <= 0) {
        std::fprintf(stderr, "policy_load: the service closed the connection\n");
        return 74;
      }
      answer.append(buffer, static_cast<std::size_t>(got));
    }
    micros.push_back(std::chrono::duration<double, std::micro>(
                         std::chrono::steady_clock::now() - sent)
                         .count());
    ++answers[answer.substr(0, answer.find_first_of(" \n"))];
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(micros.begin(), micros.end());
  auto at = [&](double share) {
    return micros[std::min(micros.size() - 1,
                           static_cast<std::size_t>(share * static_cast<double>(micros.size())))];
  };
  std::printf("%ld requests in %.2f s: %.0f per second; latency p50 %.1f us, "
              "p99 %.1f us, p99.9 %.1f us, max %.1f us\n",
              count, seconds, static_cast<double>(count) / seconds, at(0.5),
              at(0.99), at(0.999), micros.back());
  for (const auto& [action, n] : answers) {
    std::printf("  %s: %ld\n", action.c_str(), n);
  }
  return 0;
}
