// How the web tool's JSON API reports a Status: the HTTP status of its code
// and a JSON body {"code": "FAILED_PRECONDITION", "message": "..."} (doc/web.md).
#ifndef ERPSYNC_SERVER_WEB_HTTP_ERRORS_H_
#define ERPSYNC_SERVER_WEB_HTTP_ERRORS_H_

#include <string>

#include "common/status.h"

namespace erpsync::server {

// 400 INVALID_ARGUMENT and OUT_OF_RANGE, 401 UNAUTHENTICATED, 403
// PERMISSION_DENIED, 404 NOT_FOUND, 409 ALREADY_EXISTS, FAILED_PRECONDITION
// and ABORTED, 429 RESOURCE_EXHAUSTED, 501 UNIMPLEMENTED, 503 UNAVAILABLE,
// 504 DEADLINE_EXCEEDED, 500 for the rest.
int HttpStatusOf(StatusCode code);

// The JSON body of an error (a non-OK status).
std::string ErrorBody(const Status& status);

}  // namespace erpsync::server

#endif  // ERPSYNC_SERVER_WEB_HTTP_ERRORS_H_
