/*
 * endpoint.c — the endpoint type: where a workload is served or revenue is
 * earned, written provider/region[/service].
 *
 * Ordering is by (provider, region, service), each segment compared
 * bytewise, a missing service first.  Because stored values are canonical,
 * equality is byte equality and the hash is a hash of the payload.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "endpoint.h"

PG_MODULE_MAGIC;

#define ENDPOINT_BINARY_VERSION 1

static const char *const segment_names[] = {"provider", "region", "service"};

/* The characters a segment may hold: [a-z0-9._-]. */
bool
endpoint_segment_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '.' || c == '_' || c == '-';
}

/*
 * Why a (lower-cased) segment is not valid, or NULL when it is.  When the
 * problem is a character, it is copied (whole, even if multibyte) into
 * badchar so the caller can quote it; otherwise badchar is left empty.
 */
const char *
endpoint_segment_problem(const char *seg, int len, char *badchar, int badchar_size)
{
	int			i;

	badchar[0] = '\0';
	if (len == 0)
		return "is empty";
	if (len > ENDPOINT_SEGMENT_MAX)
		return "is longer than 63 characters";
	for (i = 0; i < len; i++)
	{
		if (!endpoint_segment_char_ok(seg[i]))
		{
			int			clen = pg_mblen(seg + i);

			clen = Min(clen, len - i);
			clen = Min(clen, badchar_size - 1);
			memcpy(badchar, seg + i, clen);
			badchar[clen] = '\0';
			return "contains a character other than a-z, 0-9, \".\", \"_\" and \"-\"";
		}
	}
	if (!((seg[0] >= 'a' && seg[0] <= 'z') || (seg[0] >= '0' && seg[0] <= '9')))
		return "must start with a letter or digit";
	return NULL;
}

/* Decode an endpoint datum (short or long varlena header) into a view. */
EndpointView
endpoint_view(const struct varlena *ep)
{
	const uint8 *p = (const uint8 *) VARDATA_ANY(ep);
	EndpointView v;

	v.provider_len = p[0];
	v.region_len = p[1];
	v.service_len = p[2];
	v.provider = (const char *) p + ENDPOINT_HEADER_BYTES;
	v.region = v.provider + v.provider_len;
	v.service = v.service_len ? v.region + v.region_len : NULL;
	return v;
}

/* Build an endpoint from already validated, canonical segments. */
struct varlena *
endpoint_make(const char *provider, int plen, const char *region, int rlen,
			  const char *service, int slen)
{
	Size		size = VARHDRSZ + ENDPOINT_HEADER_BYTES + plen + rlen + slen;
	struct varlena *result = (struct varlena *) palloc(size);
	uint8	   *p = (uint8 *) VARDATA(result);

	SET_VARSIZE(result, size);
	p[0] = (uint8) plen;
	p[1] = (uint8) rlen;
	p[2] = (uint8) slen;
	memcpy(p + 3, provider, plen);
	memcpy(p + 3 + plen, region, rlen);
	if (slen > 0)
		memcpy(p + 3 + plen + rlen, service, slen);
	return result;
}

/* Bytewise comparison of two segments; a prefix sorts first. */
int
endpoint_segment_cmp(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c < 0 ? -1 : 1;
	return (alen > blen) - (alen < blen);
}

int
endpoint_compare_views(const EndpointView *a, const EndpointView *b)
{
	int			c;

	c = endpoint_segment_cmp(a->provider, a->provider_len, b->provider, b->provider_len);
	if (c != 0)
		return c;
	c = endpoint_segment_cmp(a->region, a->region_len, b->region, b->region_len);
	if (c != 0)
		return c;
	/* an absent service (length 0) sorts before any service */
	return endpoint_segment_cmp(a->service ? a->service : "", a->service_len,
								b->service ? b->service : "", b->service_len);
}

/*
 * Parse the text form.  Leading and trailing white space is ignored and
 * letters are folded to lower case; any problem raises 22P02 quoting the
 * whole input and naming the segment at fault.
 */
static struct varlena *
endpoint_parse(const char *input)
{
	const char *start = input;
	const char *end = input + strlen(input);
	char	   *buf;
	char	   *seg[3];
	int			seglen[3];
	int			nseg = 0;
	char	   *p;
	int			i;

	while (start < end && isspace((unsigned char) *start))
		start++;
	while (end > start && isspace((unsigned char) end[-1]))
		end--;

	buf = pnstrdup(start, end - start);
	for (p = buf; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';

	p = buf;
	for (;;)
	{
		char	   *slash = strchr(p, '/');

		if (nseg == 3)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type endpoint: \"%s\"", input),
					 errdetail("An endpoint has at most three segments: provider/region[/service].")));
		seg[nseg] = p;
		seglen[nseg] = slash ? (int) (slash - p) : (int) strlen(p);
		nseg++;
		if (!slash)
			break;
		p = slash + 1;
	}

	for (i = 0; i < nseg; i++)
	{
		char		badchar[8];
		const char *problem = endpoint_segment_problem(seg[i], seglen[i],
													   badchar, sizeof(badchar));

		if (problem == NULL)
			continue;
		if (badchar[0] != '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type endpoint: \"%s\"", input),
					 errdetail("The %s segment \"%s\" contains \"%s\"; segments use only a-z, 0-9, \".\", \"_\" and \"-\".",
							   segment_names[i], pnstrdup(seg[i], seglen[i]), badchar)));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type endpoint: \"%s\"", input),
				 seglen[i] > 0 ?
				 errdetail("The %s segment \"%s\" %s.", segment_names[i],
						   pnstrdup(seg[i], seglen[i]), problem) :
				 errdetail("The %s segment %s.", segment_names[i], problem)));
	}

	if (nseg < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type endpoint: \"%s\"", input),
				 errdetail("The region segment is missing; an endpoint is written provider/region[/service]."),
				 errhint("To name every region of a provider, use an endpoint_set pattern such as '%s'.",
						 pnstrdup(seg[0], seglen[0]))));

	return endpoint_make(seg[0], seglen[0], seg[1], seglen[1],
						 nseg == 3 ? seg[2] : NULL, nseg == 3 ? seglen[2] : 0);
}

/* Canonical text: provider/region[/service]. */
static char *
endpoint_to_cstring(const struct varlena *ep)
{
	EndpointView v = endpoint_view(ep);
	StringInfoData s;

	initStringInfo(&s);
	appendBinaryStringInfo(&s, v.provider, v.provider_len);
	appendStringInfoChar(&s, '/');
	appendBinaryStringInfo(&s, v.region, v.region_len);
	if (v.service)
	{
		appendStringInfoChar(&s, '/');
		appendBinaryStringInfo(&s, v.service, v.service_len);
	}
	return s.data;
}

PG_FUNCTION_INFO_V1(endpoint_in);
/* Text input: trims, folds case, validates every segment. */
Datum
endpoint_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(endpoint_parse(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(endpoint_out);
/* Text output, always canonical. */
Datum
endpoint_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(endpoint_to_cstring(PG_GETARG_ENDPOINT_P(0)));
}

/* See endpoint.h: a version byte, then the canonical text. */
bytea *
versioned_text_send(int version, const char *text)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, version);
	pq_sendtext(&buf, text, strlen(text));
	return pq_endtypsend(&buf);
}

/* See endpoint.h: the text after a version byte that must equal version. */
char *
versioned_text_recv(StringInfo buf, int version, const char *typname)
{
	int			got;
	int			nbytes;

	if (buf->len - buf->cursor < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: message is empty", typname)));
	got = (unsigned char) buf->data[buf->cursor];
	if (got != version)
		binary_version_error(buf, typname, got);
	buf->cursor++;
	return pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);
}

/* See endpoint.h. */
void
binary_version_error(StringInfo buf, const char *typname, int got)
{
	const unsigned char *p = (const unsigned char *) buf->data + buf->cursor;
	int			len = buf->len - buf->cursor;
	bool		text = len > 0 && p[0] >= 0x20 && p[0] < 0x7f;
	int			i;

	/* printable ASCII first, then nothing but printable bytes (UTF-8 included) */
	for (i = 1; text && i < len; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') || p[i] == 0x7f)
			text = false;
	if (text && pg_verifymbstr((const char *) p, len, true))
	{
		/* quote at most 100 bytes, cut on a character boundary */
		int			shown = pg_mbcliplen((const char *) p, len, 100);

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: unsupported format version %d", typname, got),
				 errdetail("The value is the text \"%.*s%s\".", shown, (const char *) p,
						   shown < len ? "..." : ""),
				 errhint("The value looks like text sent in binary format: send the parameter in text format, "
						 "or declare it as type text instead of dealscope.%s.", typname)));
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s: unsupported format version %d", typname, got)));
}

PG_FUNCTION_INFO_V1(endpoint_send);
/* Binary output: a format version byte, then the canonical text. */
Datum
endpoint_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(versioned_text_send(ENDPOINT_BINARY_VERSION,
										  endpoint_to_cstring(PG_GETARG_ENDPOINT_P(0))));
}

PG_FUNCTION_INFO_V1(endpoint_recv);
/* Binary input: checks the version and validates the text exactly as input does. */
Datum
endpoint_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_POINTER(endpoint_parse(versioned_text_recv(buf, ENDPOINT_BINARY_VERSION,
														 "endpoint")));
}

PG_FUNCTION_INFO_V1(endpoint_construct);
/* endpoint(provider, region, service DEFAULT NULL): build and validate. */
Datum
endpoint_construct(PG_FUNCTION_ARGS)
{
	StringInfoData s;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	initStringInfo(&s);
	appendStringInfoString(&s, text_to_cstring(PG_GETARG_TEXT_PP(0)));
	appendStringInfoChar(&s, '/');
	appendStringInfoString(&s, text_to_cstring(PG_GETARG_TEXT_PP(1)));
	if (!PG_ARGISNULL(2))
	{
		appendStringInfoChar(&s, '/');
		appendStringInfoString(&s, text_to_cstring(PG_GETARG_TEXT_PP(2)));
	}
	/* each part must be a single segment: a slash inside one is an error */
	{
		int			i;

		for (i = 0; i < 3; i++)
		{
			text	   *t;

			if (PG_ARGISNULL(i))
				continue;
			t = PG_GETARG_TEXT_PP(i);
			if (memchr(VARDATA_ANY(t), '/', VARSIZE_ANY_EXHDR(t)) != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid endpoint %s \"%s\"", segment_names[i],
								text_to_cstring(t)),
						 errdetail("A segment cannot contain \"/\".")));
		}
	}
	PG_RETURN_POINTER(endpoint_parse(s.data));
}

PG_FUNCTION_INFO_V1(endpoint_provider);
/* provider(endpoint) */
Datum
endpoint_provider(PG_FUNCTION_ARGS)
{
	EndpointView v = endpoint_view(PG_GETARG_ENDPOINT_P(0));

	PG_RETURN_TEXT_P(cstring_to_text_with_len(v.provider, v.provider_len));
}

PG_FUNCTION_INFO_V1(endpoint_region);
/* region(endpoint) */
Datum
endpoint_region(PG_FUNCTION_ARGS)
{
	EndpointView v = endpoint_view(PG_GETARG_ENDPOINT_P(0));

	PG_RETURN_TEXT_P(cstring_to_text_with_len(v.region, v.region_len));
}

PG_FUNCTION_INFO_V1(endpoint_service);
/* service(endpoint): NULL when the endpoint names a whole region. */
Datum
endpoint_service(PG_FUNCTION_ARGS)
{
	EndpointView v = endpoint_view(PG_GETARG_ENDPOINT_P(0));

	if (v.service == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(v.service, v.service_len));
}

/*
 * Three-way comparison of the two endpoint arguments.  Sorts call it many
 * times in one context, so a detoasted copy (an endpoint compressed inside
 * a wide row) is freed at once.
 */
static int
endpoint_cmp_args(FunctionCallInfo fcinfo)
{
	struct varlena *x = PG_GETARG_ENDPOINT_P(0);
	struct varlena *y = PG_GETARG_ENDPOINT_P(1);
	EndpointView a = endpoint_view(x);
	EndpointView b = endpoint_view(y);
	int			result = endpoint_compare_views(&a, &b);

	PG_FREE_IF_COPY(x, 0);
	PG_FREE_IF_COPY(y, 1);
	return result;
}

PG_FUNCTION_INFO_V1(endpoint_cmp);
/* btree support: -1, 0 or 1. */
Datum
endpoint_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(endpoint_cmp_args(fcinfo));
}

PG_FUNCTION_INFO_V1(endpoint_eq);
Datum
endpoint_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_cmp_args(fcinfo) == 0);
}

PG_FUNCTION_INFO_V1(endpoint_ne);
Datum
endpoint_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_cmp_args(fcinfo) != 0);
}

PG_FUNCTION_INFO_V1(endpoint_lt);
Datum
endpoint_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_cmp_args(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(endpoint_le);
Datum
endpoint_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_cmp_args(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(endpoint_gt);
Datum
endpoint_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_cmp_args(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(endpoint_ge);
Datum
endpoint_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(endpoint_cmp_args(fcinfo) >= 0);
}

PG_FUNCTION_INFO_V1(endpoint_hash);
/* hash support: equal endpoints have equal payload bytes. */
Datum
endpoint_hash(PG_FUNCTION_ARGS)
{
	struct varlena *ep = PG_GETARG_ENDPOINT_P(0);

	return hash_any((const unsigned char *) VARDATA_ANY(ep), VARSIZE_ANY_EXHDR(ep));
}

PG_FUNCTION_INFO_V1(endpoint_hash_extended);
/* extended (seeded, 64-bit) hash support, used by hash partitioning. */
Datum
endpoint_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *ep = PG_GETARG_ENDPOINT_P(0);

	return hash_any_extended((const unsigned char *) VARDATA_ANY(ep),
							 VARSIZE_ANY_EXHDR(ep), PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(endpoint_smaller);
/* min(endpoint) support: the lesser argument. */
Datum
endpoint_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(endpoint_cmp_args(fcinfo) <= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}

PG_FUNCTION_INFO_V1(endpoint_larger);
/* max(endpoint) support: the greater argument. */
Datum
endpoint_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(endpoint_cmp_args(fcinfo) >= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}
