#include "ccurl.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

// The few entry points used, resolved from the dlopen'ed library. curl_easy_setopt is variadic: it is called
// through a variadic pointer type so the arguments travel exactly as libcurl expects.
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[256];
static int loaded;

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl.so.4 for https (install libcurl4): %s", dlerror());
        return;
    }
#define RESOLVE(field, symbol)                                                                  \
    if (!(*(void **)&curl.field = dlsym(library, symbol))) {                                    \
        snprintf(load_error, sizeof load_error, "libcurl.so.4 has no %s", symbol);              \
        return;                                                                                 \
    }
    RESOLVE(global_init, "curl_global_init")
    RESOLVE(easy_init, "curl_easy_init")
    RESOLVE(easy_setopt, "curl_easy_setopt")
    RESOLVE(easy_perform, "curl_easy_perform")
    RESOLVE(easy_getinfo, "curl_easy_getinfo")
    RESOLVE(easy_cleanup, "curl_easy_cleanup")
    RESOLVE(easy_strerror, "curl_easy_strerror")
    RESOLVE(slist_append, "curl_slist_append")
    RESOLVE(slist_free_all, "curl_slist_free_all")
#undef RESOLVE
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init: %s", curl.easy_strerror(code));
        return;
    }
    loaded = 1;
}

int vc_curl_load(char *error, size_t error_size) {
    pthread_once(&load_once, load);
    if (!loaded) snprintf(error, error_size, "%s", load_error);
    return loaded ? 0 : -1;
}

typedef struct {
    int fd;
    char *data;
    size_t length, capacity, received, max_body;
    int failed, too_large;
    long long announced;  // the last Content-Length header seen, -1 without one
} sink;

// Notes the Content-Length of the answer (the last head's, after any 1xx), to say how large a refused body was.
static size_t header_line(char *line, size_t size, size_t count, void *context) {
    sink *into = context;
    size_t length = size * count;
    if (length >= 15 && strncasecmp(line, "content-length:", 15) == 0) {
        into->announced = strtoll(line + 15, NULL, 10);
    } else if (length >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        into->announced = -1;
    }
    return length;
}

static size_t write_body(char *chunk, size_t size, size_t count, void *context) {
    sink *into = context;
    size_t length = size * count;
    // A body without a Content-Length (chunked, close-delimited) is cut at the limit: returning less than was
    // given aborts the transfer (CURLE_WRITE_ERROR), so no more than max_body is ever kept or written.
    if (length > into->max_body - into->received) { into->too_large = 1; return 0; }
    into->received += length;
    if (into->fd >= 0) {
        size_t written = 0;
        while (written < length) {
            ssize_t n = write(into->fd, chunk + written, length - written);
            if (n <= 0) { into->failed = 1; return 0; }
            written += (size_t)n;
        }
        return length;
    }
    if (into->length + length > into->capacity) {
        size_t capacity = into->capacity ? into->capacity * 2 : 16384;
        while (capacity < into->length + length) capacity *= 2;
        char *grown = realloc(into->data, capacity);
        if (!grown) { into->failed = 1; return 0; }
        into->data = grown;
        into->capacity = capacity;
    }
    memcpy(into->data + into->length, chunk, length);
    into->length += length;
    return length;
}

static int progress(void *context, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d) {
    (void)a; (void)b; (void)c; (void)d;
    const volatile int *cancelled = context;
    return cancelled && *cancelled ? 1 : 0;
}

int vc_curl_perform(const char *method, const char *url, const char *const *headers, size_t header_count,
                    const void *body, size_t body_length, long timeout_ms, const char *ca_file, int download_fd,
                    size_t max_body, const volatile int *cancelled, vc_curl_answer *answer, char *error,
                    size_t error_size) {
    memset(answer, 0, sizeof *answer);
    if (vc_curl_load(error, error_size) != 0) return -1;
    CURL *handle = curl.easy_init();
    if (!handle) { snprintf(error, error_size, "curl_easy_init failed"); return -1; }
    struct curl_slist *list = NULL;
    for (size_t i = 0; i < header_count; i++) list = curl.slist_append(list, headers[i]);
    // Without this libcurl sends "Expect: 100-continue" for larger bodies and waits for the server.
    list = curl.slist_append(list, "Expect:");
    sink into = {.fd = download_fd, .max_body = max_body, .announced = -1};
    char curl_error[CURL_ERROR_SIZE] = "";
    curl.easy_setopt(handle, CURLOPT_URL, url);
    curl.easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method);
    curl.easy_setopt(handle, CURLOPT_HTTPHEADER, list);
    curl.easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
    curl.easy_setopt(handle, CURLOPT_WRITEDATA, &into);
    curl.easy_setopt(handle, CURLOPT_HEADERFUNCTION, header_line);
    curl.easy_setopt(handle, CURLOPT_HEADERDATA, &into);
    curl.easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    curl.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, progress);
    curl.easy_setopt(handle, CURLOPT_XFERINFODATA, (void *)cancelled);
    curl.easy_setopt(handle, CURLOPT_ERRORBUFFER, curl_error);
    // A Content-Length over the limit is refused before any of the body is read (CURLE_FILESIZE_EXCEEDED).
    curl.easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_body);
    if (ca_file) {
        curl.easy_setopt(handle, CURLOPT_CAINFO, ca_file);
        curl.easy_setopt(handle, CURLOPT_CAPATH, (char *)NULL);
    }
    if (body) {
        curl.easy_setopt(handle, CURLOPT_POSTFIELDS, body);
        curl.easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    } else if (strcmp(method, "GET") == 0) {
        curl.easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    }
    CURLcode code = curl.easy_perform(handle);
    int result = 0;
    if (code == CURLE_FILESIZE_EXCEEDED || into.too_large) {
        answer->too_large = 1;
        answer->announced_length = into.announced;
        snprintf(error, error_size, "answer body exceeds %zu bytes", max_body);
        free(into.data);
        result = -1;
    } else if (code != CURLE_OK || into.failed) {
        snprintf(error, error_size, "%s", into.failed ? "cannot store the answer" : (curl_error[0] ? curl_error : curl.easy_strerror(code)));
        free(into.data);
        result = -1;
    } else {
        curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &answer->status);
        answer->body = into.data;
        answer->body_length = into.length;
    }
    curl.slist_free_all(list);
    curl.easy_cleanup(handle);
    return result;
}

void vc_curl_answer_free(vc_curl_answer *answer) {
    free(answer->body);
    answer->body = NULL;
}
