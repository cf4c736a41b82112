#include "server/api/api_method.h"

namespace erpsync::server {

const ApiMethod* FindApiMethod(const std::vector<ApiMethod>& methods, std::string_view name) {
  for (const ApiMethod& method : methods) {
    if (method.name == name) return &method;
  }
  return nullptr;
}

}  // namespace erpsync::server
