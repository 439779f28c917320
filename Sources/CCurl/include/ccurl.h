#ifndef CCURL_H
#define CCURL_H

#include <stddef.h>

/// libcurl's easy API, loaded with dlopen on the first https request rather than linked: libcurl and its
/// dependency tree (OpenSSL, GnuTLS, Kerberos, LDAP, ...) cost the agent about 7 MB of resident memory, which a
/// plain-HTTP agent (talking to the mock or a lab) never needs.

/// Loads libcurl.so.4 once. 0 on success; otherwise -1 and a reason in `error`.
int vc_curl_load(char *error, size_t error_size);

/// The answer of one transfer. `body` is malloc'd (free it with vc_curl_answer_free); NULL when written to a file.
/// `too_large` is set when the body passed `max_body` (`announced_length`: its Content-Length, -1 when unknown).
typedef struct {
    long status;
    char *body;
    size_t body_length;
    int too_large;
    long long announced_length;
} vc_curl_answer;

/// One blocking transfer. `headers` are "Name: value" lines. With `download_fd` >= 0 the body is written there
/// instead of kept. At most `max_body` bytes of body are kept or written: a larger Content-Length is refused before
/// the body is read, a longer body without one is cut there; both fail with `answer->too_large` set.
/// `ca_file` (PEM), when not NULL, replaces the system's trusted CAs. The transfer ends early (CURLE_ABORTED_BY_CALLBACK) once `*cancelled` becomes non-zero.
/// 0 on success (any HTTP status); otherwise -1 and libcurl's reason in `error`.
int vc_curl_perform(const char *method, const char *url, const char *const *headers, size_t header_count,
                    const void *body, size_t body_length, long timeout_ms, const char *ca_file, int download_fd,
                    size_t max_body, const volatile int *cancelled, vc_curl_answer *answer, char *error,
                    size_t error_size);

void vc_curl_answer_free(vc_curl_answer *answer);

#endif
