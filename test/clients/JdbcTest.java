// pgJDBC (Debian's libpostgresql-jdbc-java) against dealscope: every query of
// queries.sql in text mode (simple protocol), in binary mode (prepareThreshold
// -1: binary from the first execution) and with the driver's defaults
// executed 6 times (server-prepared and binary from the 5th execution on),
// in each mode with the OIDs of dealscope's own types in binaryTransferEnable;
// each value must equal psql's.  Then: the result types (no Types.OTHER, no
// custom type name), DatabaseMetaData.getColumns of the reporting schema
// (standard type names, REMARKS on every column), binds of every custom type
// with setString.  Run by test/clients.sh:
//     java -cp CLASSES:/usr/share/java/postgresql.jar JdbcTest REFDIR QUERIES
// (connection from PGHOST, PGPORT, PGUSER, PGDATABASE).
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.*;
import java.util.*;

public class JdbcTest {
    static final Map<String, long[]> modes = new LinkedHashMap<>();   // queries, values, differing
    static final List<String> failures = new ArrayList<>();
    static final Map<String, Integer> shown = new HashMap<>();

    static String env(String k, String d) { String v = System.getenv(k); return v == null || v.isEmpty() ? d : v; }

    static Connection connect(String extra) throws SQLException {
        String host = env("PGHOST", "localhost");
        // a socket directory is not a host for JDBC: pg_virtualenv's clusters listen on localhost too
        if (host.startsWith("/")) host = "localhost";
        String url = "jdbc:postgresql://" + host + ":" + env("PGPORT", "5432") + "/" + env("PGDATABASE", "postgres")
                + "?user=" + env("PGUSER", "postgres") + (extra.isEmpty() ? "" : "&" + extra);
        Properties p = new Properties();
        String pw = System.getenv("PGPASSWORD");
        if (pw != null) p.setProperty("password", pw);
        Connection c = DriverManager.getConnection(url, p);
        try (Statement s = c.createStatement()) { s.execute("SET datestyle = 'ISO, YMD'"); }
        return c;
    }

    static long[] mode(String m) { return modes.computeIfAbsent(m, k -> new long[3]); }

    static void fail(String m, String what) {
        failures.add("pgJDBC " + m + " " + what);
    }

    static void check(String m, String what, boolean ok, String detail) {
        long[] c = mode(m);
        c[1]++;
        if (!ok) { c[2]++; fail(m, what + (detail.isEmpty() ? "" : ": " + detail)); }
    }

    // one field of COPY's text format
    static String copyField(String s) {
        if (s.equals("\\N")) return null;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 't': b.append('\t'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'v': b.append('\u000b'); break;
                    default: b.append(n);
                }
            } else b.append(ch);
        }
        return b.toString();
    }

    static List<List<String>> reference(Path dir, String name) throws Exception {
        Path p = dir.resolve(name + ".copy");
        if (!Files.exists(p)) return null;
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            List<String> row = new ArrayList<>();
            for (String f : line.split("\t", -1)) row.add(copyField(f));
            rows.add(row);
        }
        return rows;
    }

    static String arrayElem(Object o) {
        if (o == null) return "NULL";
        String s = text(o);
        boolean quote = s.isEmpty() || s.equalsIgnoreCase("NULL");
        for (char ch : s.toCharArray()) if ("{}\",\\ \t\n\r\u000b\f".indexOf(ch) >= 0) quote = true;
        return quote ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : s;
    }

    static String text(Object o) {
        if (o instanceof BigDecimal) return ((BigDecimal) o).toPlainString();
        if (o instanceof Boolean) return ((Boolean) o) ? "t" : "f";
        if (o instanceof Object[]) {
            StringJoiner j = new StringJoiner(",", "{", "}");
            for (Object e : (Object[]) o) j.add(arrayElem(e));
            return j.toString();
        }
        return o.toString();
    }

    // a value as PostgreSQL's text output prints it, from the getter a BI tool uses for its type
    static String value(ResultSet rs, int i, String type) throws SQLException {
        String v;
        switch (type) {
            case "numeric": { BigDecimal d = rs.getBigDecimal(i); return d == null ? null : d.toPlainString(); }
            case "bool": { boolean b = rs.getBoolean(i); return rs.wasNull() ? null : (b ? "t" : "f"); }
            default:
                if (type.startsWith("_")) {
                    Array a = rs.getArray(i);
                    return a == null ? null : text(a.getArray());
                }
                v = rs.getString(i);
                return v;
        }
    }

    static List<List<String>> read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) row.add(value(rs, i, md.getColumnTypeName(i)));
            rows.add(row);
        }
        return rows;
    }

    static void compare(String m, String name, List<List<String>> got, List<List<String>> want) {
        long[] c = mode(m);
        c[0]++;
        if (want == null) { c[2]++; fail(m, name + ": psql could not answer it"); return; }
        if (got.size() != want.size()) { c[2]++; fail(m, name + ": " + got.size() + " rows, psql has " + want.size()); }
        for (int r = 0; r < Math.min(got.size(), want.size()); r++) {
            List<String> g = got.get(r), w = want.get(r);
            if (g.size() != w.size()) { c[2]++; fail(m, name + ": row " + (r + 1) + " has " + g.size() + " columns"); continue; }
            for (int k = 0; k < g.size(); k++) {
                c[1]++;
                if (!Objects.equals(g.get(k), w.get(k))) {
                    c[2]++;
                    fail(m, name + ": row " + (r + 1) + " column " + (k + 1) + ": " + q(g.get(k)) + ", psql has " + q(w.get(k)));
                }
            }
        }
    }

    static String q(String s) { return s == null ? "NULL" : "'" + s + "'"; }

    public static void main(String[] args) throws Exception {
        Path ref = Path.of(args[0]);
        List<String[]> queries = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("--")) continue;
            int k = line.indexOf(": ");
            queries.add(new String[] {line.substring(0, k), line.substring(k + 2)});
        }
        String version;
        String binaryOids;
        Set<String> builtinTypes = new HashSet<>();
        try (Connection c = connect("");
             Statement s = c.createStatement()) {
            version = c.getMetaData().getDriverVersion();
            // the OIDs of dealscope's own types, which a user adds to binaryTransferEnable
            // to read them in binary (the driver's defaults add the standard types it
            // decodes: integers, numeric, date, arrays; it has no binary text decoder)
            try (ResultSet rs = s.executeQuery(
                    "SELECT string_agg(oid::text, ',') FROM pg_type WHERE typnamespace = 'dealscope'::regnamespace")) {
                rs.next();
                binaryOids = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT typname FROM pg_type WHERE oid < 16384")) {
                while (rs.next()) builtinTypes.add(rs.getString(1));
            }
        }
        String[][] configs = {
            {"text", "preferQueryMode=simple", "1"},
            {"binary", "prepareThreshold=-1&binaryTransferEnable=" + binaryOids, "2"},
            {"default-6th", "binaryTransferEnable=" + binaryOids, "6"},
        };
        for (String[] cfg : configs) {
            String m = cfg[0];
            int runs = Integer.parseInt(cfg[2]);
            try (Connection c = connect(cfg[1])) {
                for (String[] qy : queries) {
                    List<List<String>> want = reference(ref, qy[0]);
                    try (PreparedStatement ps = c.prepareStatement(qy[1])) {
                        for (int run = 1; run <= runs; run++) {
                            try (ResultSet rs = ps.executeQuery()) {
                                List<List<String>> got = read(rs);
                                // the first and the last execution are compared
                                if (run == 1 || run == runs) compare(m + (run > 1 ? " (execution " + run + ")" : ""), qy[0], got, want);
                                if (run == runs && m.equals("binary")) {
                                    ResultSetMetaData md = rs.getMetaData();
                                    for (int i = 1; i <= md.getColumnCount(); i++)
                                        check("types", qy[0] + "." + md.getColumnName(i) + " is " + md.getColumnTypeName(i)
                                              + " (java.sql.Types " + md.getColumnType(i) + ")",
                                              builtinTypes.contains(md.getColumnTypeName(i)), "not a built-in type");
                                }
                            }
                        }
                    } catch (SQLException e) {
                        mode(m)[2]++;
                        fail(m, qy[0] + ": error: " + e.getMessage().split("\n")[0]);
                    }
                }
            }
        }
        try (Connection c = connect("")) {
            metadata(c);
            binds(c);
        }
        Map<String, Integer> perKey = new HashMap<>();
        for (String f : failures) {
            String key = f.split(":")[0];
            int n = perKey.merge(key, 1, Integer::sum);
            if (n <= 3) System.out.println("  DIFF " + f);
            else if (n == 4) System.out.println("  DIFF " + key + ": ... (more below in the count)");
        }
        long bad = 0;
        for (Map.Entry<String, long[]> e : modes.entrySet()) {
            long[] c = e.getValue();
            System.out.println("pgJDBC " + version + " " + e.getKey() + ": " + c[0] + " queries, " + c[1]
                               + " values compared, " + c[2] + " differing");
            bad += c[2];
        }
        System.exit(bad > 0 || !failures.isEmpty() ? 1 : 0);
    }

    // getColumns of the reporting schema: standard JDBC types, a type name, REMARKS on every column
    static void metadata(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Set<String> views = new TreeSet<>();
        int columns = 0;
        try (ResultSet rs = md.getColumns(null, "dealscope_reporting", "%", "%")) {
            while (rs.next()) {
                String col = rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME");
                int type = rs.getInt("DATA_TYPE");
                String name = rs.getString("TYPE_NAME");
                String remarks = rs.getString("REMARKS");
                views.add(rs.getString("TABLE_NAME"));
                columns++;
                check("metadata", "getColumns " + col + " TYPE_NAME " + name + " DATA_TYPE " + type,
                      type != Types.OTHER && type != Types.STRUCT && type != Types.DISTINCT, "not a standard type");
                check("metadata", "getColumns " + col + " REMARKS", remarks != null && !remarks.isBlank(), "missing");
            }
        }
        check("metadata", "getColumns found the 12 views of dealscope_reporting (" + views + ")", views.size() == 12, "");
        try (ResultSet rs = md.getTables(null, "dealscope_reporting", "%", new String[] {"VIEW"})) {
            int n = 0;
            while (rs.next()) {
                n++;
                String r = rs.getString("REMARKS");
                check("metadata", "getTables " + rs.getString("TABLE_NAME") + " REMARKS", r != null && !r.isBlank(), "missing");
            }
            check("metadata", "getTables lists 12 views", n == 12, "got " + n);
        }
        mode("metadata")[0] = columns;
    }

    static String one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    // binds of every custom type with setString (varchar), no search_path
    static void binds(Connection c) throws SQLException {
        String m = "binds setString";
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO dealscope.revenue_flow (seller, channel, amount, currency, period)"
                    + " VALUES ('bind-test', ?, 5.00, 'USD', CAST(? AS daterange))")) {
                ps.setString(1, "gcp/europe-west4/vertex");
                ps.setString(2, "[2026-01-01,2026-01-02)");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE dealscope.revenue_flow SET channel = ? WHERE seller = 'bind-test'")) {
                ps.setString(1, "oci/eu-frankfurt-1");
                check(m, "UPDATE of an endpoint column", ps.executeUpdate() == 1, "");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO dealscope.clause (id, deal_id, kind, holder, grantor, scope, valid, rate)"
                    + " VALUES ('bind-test', 'msft-openai-2026', CAST(? AS text)::dealscope.clause_kind, 'x', 'y', ?, '[2026-01-01,)', ?)")) {
                ps.setString(1, "revenue_share");
                ps.setString(2, "aws, !aws/us-gov-*");
                ps.setString(3, "{[2026-01-01,2027-01-01) 20%->0%}");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO dealscope.placement_event (workload_id, kind, at, on_date) VALUES ('chatgpt', 'launch', ?, ?)")) {
                ps.setString(1, "aws/us-east-1/bedrock");
                ps.setDate(2, java.sql.Date.valueOf("2026-01-01"));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT (SELECT channel::text FROM dealscope.revenue_flow WHERE seller = 'bind-test')"
                    + " || ' | ' || (SELECT scope::text || ' | ' || rate::text FROM dealscope.clause WHERE id = 'bind-test')"
                    + " || ' | ' || (SELECT at::text FROM dealscope.placement_event WHERE workload_id = 'chatgpt' AND at IS NOT NULL)")) {
                String got = one(ps);
                check(m, "INSERT/UPDATE of endpoint, endpoint_set, rate_schedule",
                      "oci/eu-frankfurt-1 | aws, !aws/us-gov-* | {[2026-01-01,2027-01-01) 20%->0%} | aws/us-east-1/bedrock".equals(got), q(got));
            }
        } catch (SQLException e) {
            check(m, "INSERT/UPDATE of endpoint, endpoint_set, rate_schedule", false, e.getMessage().split("\n")[0]);
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        String[][] cases = {
            {"filter on reporting.revenue_flow.channel", "SELECT count(*) FROM dealscope_reporting.revenue_flow WHERE channel = ?", "azure/eastus", null, "24"},
            {"filter on reporting.clause.scope", "SELECT string_agg(id, ',' ORDER BY id) FROM dealscope_reporting.clause WHERE scope = ?", "azure", null, "azure-first,excl-azure,licence-msft,rofr-msft"},
            {"filter on reporting.clause.rate", "SELECT string_agg(id, ',' ORDER BY id) FROM dealscope_reporting.clause WHERE rate = ?", "12.5%", null, "rs-bedrock"},
            {"filter on reporting.placement_event.at", "SELECT string_agg(workload_id, ',') FROM dealscope_reporting.placement_event WHERE at = ?", "azure/eastus", null, "agents-enterprise"},
            {"reporting.placement_check", "SELECT verdict || ' ' || eligible_from FROM dealscope_reporting.placement_check(?, ?, ?)", "agents-enterprise", "aws/us-east-1", "conditional 2026-06-15"},
            {"reporting.placement_reasons", "SELECT string_agg(kind || ':' || verdict, ',') FROM dealscope_reporting.placement_reasons(?, ?, ?)", "agents-enterprise", "aws/us-east-1", "first_launch:conditional,commitment:allowed,primary_partner:allowed,rofr:allowed,revenue_share:allowed"},
        };
        for (String[] k : cases) {
            try (PreparedStatement ps = c.prepareStatement(k[1])) {
                ps.setString(1, k[2]);
                if (k[3] != null) { ps.setString(2, k[3]); ps.setDate(3, java.sql.Date.valueOf("2026-06-03")); }
                String got = one(ps);
                check(m, k[0], k[4].equals(got), q(got) + ", expected " + q(k[4]));
            } catch (SQLException e) {
                check(m, k[0], false, e.getMessage().split("\n")[0]);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM dealscope_reporting.placement_matrix(?, ?) WHERE verdict = 'allowed'")) {
            ps.setDate(1, java.sql.Date.valueOf("2026-06-03"));
            ps.setArray(2, c.createArrayOf("text", new String[] {"aws/us-east-1", "azure/eastus", "gcp/us-central1"}));
            String got = one(ps);
            check(m, "reporting.placement_matrix with a text[] of candidates", "7".equals(got), q(got));
        } catch (SQLException e) {
            check(m, "reporting.placement_matrix with a text[] of candidates", false, e.getMessage().split("\n")[0]);
        }
    }
}
