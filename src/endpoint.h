/*
 * endpoint.h — the endpoint type (provider/region[/service]) and the segment
 * rules it shares with endpoint_set.
 *
 * On disk an endpoint is a varlena whose payload is three length bytes
 * (provider, region, service; service 0 = absent) followed by the segment
 * bytes, already canonical (lower case, trimmed).  Equality is therefore
 * byte equality and hashing hashes the payload.
 */
#ifndef DEALSCOPE_ENDPOINT_H
#define DEALSCOPE_ENDPOINT_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#define ENDPOINT_SEGMENT_MAX 63
#define ENDPOINT_HEADER_BYTES 3

/* A borrowed view of one endpoint's segments (not NUL-terminated). */
typedef struct EndpointView
{
	const char *provider;
	const char *region;
	const char *service;		/* NULL when the endpoint has no service */
	int			provider_len;
	int			region_len;
	int			service_len;	/* 0 when absent */
} EndpointView;

/* Segment validation shared by endpoint and endpoint_set parsers. */
extern bool endpoint_segment_char_ok(char c);
extern const char *endpoint_segment_problem(const char *seg, int len,
											char *badchar, int badchar_size);

/* Decode a (possibly packed, already detoasted) endpoint datum. */
extern EndpointView endpoint_view(const struct varlena *ep);
extern struct varlena *endpoint_make(const char *provider, int plen,
									 const char *region, int rlen,
									 const char *service, int slen);
extern int	endpoint_compare_views(const EndpointView *a, const EndpointView *b);
extern int	endpoint_segment_cmp(const char *a, int alen, const char *b, int blen);

/*
 * The binary format endpoint and endpoint_set share: a format version byte,
 * then the canonical text.  Sending text rather than the stored bytes means
 * recv validates exactly as input does and nothing forged gets in.
 * versioned_text_recv checks the version (22P03 naming typname) and returns
 * the text, which the caller must still parse.
 */
extern bytea *versioned_text_send(int version, const char *text);
extern char *versioned_text_recv(StringInfo buf, int version, const char *typname);

/*
 * The error (22P03) for a binary value of typname whose first byte, got, is
 * not a known format version; the unread bytes of buf start with that byte.
 * When they look like text (a driver sent a string parameter in binary
 * format, so recv gets the text itself: "aws/us-east-1" starts with 97), the
 * error quotes the text and hints at the cause.  Does not return.
 */
extern void binary_version_error(StringInfo buf, const char *typname, int got) pg_attribute_noreturn();

#define DatumGetEndpointP(d) ((struct varlena *) PG_DETOAST_DATUM_PACKED(d))
#define PG_GETARG_ENDPOINT_P(n) DatumGetEndpointP(PG_GETARG_DATUM(n))

#endif
