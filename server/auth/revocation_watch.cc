#include "server/auth/revocation_watch.h"

#include <set>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/secret_token.h"

namespace erpsync::server {

RevocationWatch::~RevocationWatch() { Stop(); }

void RevocationWatch::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RevocationWatch::Stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
    wake_.NotifyAll();
  }
  if (thread_.joinable()) thread_.join();
}

RevocationWatch::Id RevocationWatch::Watch(std::string_view token, std::function<void()> end) {
  std::string token_hash = HashSecretToken(token);
  MutexLock lock(mutex_);
  const Id id = next_id_++;
  watched_.emplace(id, Watched{std::move(token_hash), std::move(end)});
  return id;
}

void RevocationWatch::Unwatch(Id id) {
  MutexLock lock(mutex_);
  watched_.erase(id);
}

size_t RevocationWatch::size() const {
  MutexLock lock(mutex_);
  return watched_.size();
}

int RevocationWatch::CheckNow() {
  std::set<std::string> hashes;
  {
    MutexLock lock(mutex_);
    for (const auto& [id, watched] : watched_) hashes.insert(watched.token_hash);
  }
  // Looked up without the lock: streams come and go meanwhile.
  std::set<std::string> gone;
  bool failed = false;
  for (const std::string& hash : hashes) {
    Result<Principal> principal = directory_->FindPrincipal(hash);
    if (principal.ok()) continue;
    if (principal.status().code() == StatusCode::kNotFound) {
      gone.insert(hash);
      continue;
    }
    // The store is failing: said once, not every half second, and the
    // other tokens wait for the next check.
    if (!store_failing_.exchange(true)) {
      ERPSYNC_LOG(kWarning) << "checking open streams' tokens (retrying until it works): "
                            << principal.status().ToString();
    }
    failed = true;
    break;
  }
  if (!failed && store_failing_.exchange(false)) {
    ERPSYNC_LOG(kInfo) << "checking open streams' tokens works again";
  }
  if (gone.empty()) return 0;
  MutexLock lock(mutex_);
  int ended = 0;
  for (auto it = watched_.begin(); it != watched_.end();) {
    if (gone.count(it->second.token_hash) == 0) {
      ++it;
      continue;
    }
    it->second.end();
    it = watched_.erase(it);
    ++ended;
  }
  ERPSYNC_LOG(kInfo) << "ended " << ended << " stream" << (ended == 1 ? "" : "s")
                     << " of revoked or rotated tokens";
  return ended;
}

void RevocationWatch::Run() {
  while (true) {
    {
      MutexLock lock(mutex_);
      if (wake_.WaitFor(mutex_, period_, [this]() ERPSYNC_REQUIRES(mutex_) { return stopping_; })) {
        return;
      }
    }
    CheckNow();
  }
}

}  // namespace erpsync::server
