/* libbpf_common.h - definitions shared by the libbpf-compatible headers of
 * libebpfemu (<bpf/bpf.h>, <bpf/libbpf.h>): export marker, version, LIBBPF_OPTS.
 */
#ifndef __LIBBPF_LIBBPF_COMMON_H
#define __LIBBPF_LIBBPF_COMMON_H

#include <string.h>

#define LIBBPF_MAJOR_VERSION 1
#define LIBBPF_MINOR_VERSION 1

#ifndef LIBBPF_API
#define LIBBPF_API __attribute__((visibility("default")))
#endif
#define LIBBPF_DEPRECATED(msg) __attribute__((deprecated(msg)))
#define LIBBPF_DEPRECATED_SINCE(major, minor, msg)

/* Declare an options struct `NAME` of type `struct TYPE`, zeroed (padding included),
 * with .sz set and the given designated initialisers applied. */
#define LIBBPF_OPTS(TYPE, NAME, ...)                                                   \
	struct TYPE NAME = ({                                                          \
		memset(&NAME, 0, sizeof(struct TYPE));                                 \
		(struct TYPE){                                                         \
			.sz = sizeof(struct TYPE),                                     \
			__VA_ARGS__                                                    \
		};                                                                     \
	})

#endif /* __LIBBPF_LIBBPF_COMMON_H */
