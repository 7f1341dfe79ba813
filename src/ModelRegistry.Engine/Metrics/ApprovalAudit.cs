using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace ModelRegistry.Engine.Metrics
{
    /// <summary>
    /// The approval audit report: one record per version, written as CSV or as one self-contained HTML page (a sortable
    /// table per group and an inline SVG chart per gated metric, approved and rejected versions marked). No external assets.
    /// </summary>
    public static class ApprovalAudit
    {
        public static readonly string[] Columns =
        {
            "GroupName", "Version", "Status", "ApprovalDescription", "CreatedBy", "LastModifiedBy", "Created", "LastModified",
            "Stage", "GateRules", "GatedMetrics", "ModelVersionArn",
        };

        /// <summary>A version's record; <paramref name="gatedNames"/> are the metrics its group was gated on.</summary>
        public static ApprovalAuditRecord Record(ModelVersion v, IReadOnlyList<ModelMetric> metrics, IReadOnlyList<string> gatedNames) =>
            new ApprovalAuditRecord(v.GroupName, v.Version, v.Arn, v.Status, v.ApprovalDescription, v.CreatedBy, v.LastModifiedBy,
                v.CreatedUtc, v.LastModifiedUtc, v.Stage, Requirements.HeldRules(v.ApprovalDescription),
                gatedNames.ToDictionary(n => n, n => MetricsReadout.Find(metrics, n)?.Value, StringComparer.OrdinalIgnoreCase));

        /// <summary>The metric names a group's versions were gated on (the rules recorded in approval descriptions), first seen first.</summary>
        public static IReadOnlyList<string> GatedNames(IEnumerable<ModelVersion> groupVersions) =>
            groupVersions.SelectMany(v => Requirements.HeldRules(v.ApprovalDescription))
                .Select(r => MetricRule.Parse(r).Metric).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>UTC, ISO 8601, to the second: 2026-12-02T13:05:09Z.</summary>
        public static string Time(DateTime? t) =>
            t.HasValue ? (t.Value.Kind == DateTimeKind.Local ? t.Value.ToUniversalTime() : t.Value).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

        public static string[] Cells(ApprovalAuditRecord r) => new[]
        {
            r.GroupName, r.Version.ToString(CultureInfo.InvariantCulture), r.Status.ToString(), r.ApprovalDescription ?? "",
            r.CreatedBy ?? "", r.LastModifiedBy ?? "", Time(r.CreatedUtc), Time(r.LastModifiedUtc), r.Stage ?? "",
            string.Join("; ", r.GateRules), Metrics(r), r.ModelVersionArn,
        };

        private static string Metrics(ApprovalAuditRecord r) =>
            string.Join("; ", r.GatedMetrics.Select(m => $"{m.Key}={(m.Value.HasValue ? MetricRule.Format(m.Value.Value) : "")}"));

        /// <summary>Writes the report atomically (a reader never sees half a file), UTF-8 without a byte order mark.</summary>
        public static void Write(string path, string text)
        {
            var folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder)) System.IO.Directory.CreateDirectory(folder);
            IO.AtomicFile.Replace(path, new UTF8Encoding(false).GetBytes(text));
        }

        /// <summary>RFC 4180 CSV with a header row, UTF-8, CRLF line ends (what Excel and Import-Csv read).</summary>
        public static string ToCsv(IEnumerable<ApprovalAuditRecord> records)
        {
            var sb = new StringBuilder();
            sb.Append(string.Join(",", Columns)).Append("\r\n");
            foreach (var r in records)
                sb.Append(string.Join(",", Cells(r).Select(CsvField))).Append("\r\n");
            return sb.ToString();
        }

        private static string CsvField(string value)
        {
            // A leading = + - @ would be a formula to a spreadsheet: quote it so it stays text.
            var risky = value.Length > 0 && "=+-@".IndexOf(value[0]) >= 0 && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            if (risky) value = "'" + value;
            return value.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 || risky ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
        }

        /// <summary>One self-contained page: inline CSS and JS, a sortable table and SVG charts per group.</summary>
        public static string ToHtml(IEnumerable<ApprovalAuditRecord> records, DateTime generatedUtc)
        {
            var h = new StringBuilder();
            h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Model approval audit</title>\n<style>\n")
             .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:13px}")
             .Append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f0f0f0;cursor:pointer;user-select:none}")
             .Append("th.asc::after{content:' \\25B2'}th.desc::after{content:' \\25BC'}tr.Approved td.status{color:#1a7f37;font-weight:600}")
             .Append("tr.Rejected td.status{color:#cf222e;font-weight:600}svg.chart{border:1px solid #ddd;margin:0 1em 1em 0;background:#fff}")
             .Append("circle.Approved{fill:#1a7f37}circle.Rejected{fill:#cf222e}circle.PendingManualApproval{fill:#9a6700}.legend{font-size:12px;color:#555}")
             .Append("\n</style>\n</head>\n<body>\n<h1>Model approval audit</h1>\n<p class=\"legend\">Generated ")
             .Append(Time(generatedUtc)).Append(" (times UTC). Click a column heading to sort. Chart points: ")
             .Append("<span style=\"color:#1a7f37\">&#9679; approved</span> <span style=\"color:#cf222e\">&#9679; rejected</span> ")
             .Append("<span style=\"color:#9a6700\">&#9679; pending</span>; dashed line: the gate threshold.</p>\n");
            foreach (var group in records.GroupBy(r => r.GroupName, StringComparer.Ordinal))
            {
                var rows = group.OrderBy(r => r.Version).ToList();
                h.Append("<section class=\"group\" data-group=\"").Append(E(group.Key)).Append("\">\n<h2>").Append(E(group.Key)).Append("</h2>\n");
                h.Append("<table class=\"audit\" data-group=\"").Append(E(group.Key)).Append("\">\n<thead><tr>");
                foreach (var c in Columns) h.Append("<th data-column=\"").Append(c).Append("\">").Append(c).Append("</th>");
                h.Append("</tr></thead>\n<tbody>\n");
                foreach (var r in rows)
                {
                    h.Append("<tr class=\"").Append(r.Status).Append("\" data-version=\"").Append(r.Version.ToString(CultureInfo.InvariantCulture)).Append("\">");
                    var cells = Cells(r);
                    for (var i = 0; i < cells.Length; i++)
                        h.Append("<td").Append(Columns[i] == "Status" ? " class=\"status\"" : "").Append(">").Append(E(cells[i])).Append("</td>");
                    h.Append("</tr>\n");
                }
                h.Append("</tbody>\n</table>\n");
                var names = rows.SelectMany(r => r.GatedMetrics.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (names.Count == 0) h.Append("<p class=\"legend\">No version of this group was approved through a metric gate.</p>\n");
                foreach (var name in names) Chart(h, group.Key, name, rows);
                h.Append("</section>\n");
            }
            h.Append("<script>\n").Append(SortScript).Append("\n</script>\n</body>\n</html>\n");
            return h.ToString();
        }

        private static void Chart(StringBuilder h, string group, string metric, IReadOnlyList<ApprovalAuditRecord> rows)
        {
            const double W = 480, H = 220, L = 50, R = 20, T = 24, B = 36;
            var points = rows.Select(r => (r.Version, r.Status, Value: r.GatedMetrics.TryGetValue(metric, out var v) ? v : null))
                .Where(p => p.Value.HasValue).ToList();
            // The thresholds of the rules on this metric that held, to draw as lines.
            var thresholds = rows.SelectMany(r => r.GateRules).Select(MetricRule.Parse)
                .Where(x => string.Equals(x.Metric, metric, StringComparison.OrdinalIgnoreCase)).Select(x => x.Threshold).Distinct().ToList();
            var values = points.Select(p => p.Value!.Value).Concat(thresholds).ToList();
            double min = values.Count == 0 ? 0 : values.Min(), max = values.Count == 0 ? 1 : values.Max();
            if (max - min < 1e-9) { min -= 0.5; max += 0.5; }
            var pad = (max - min) * 0.1;
            min -= pad; max += pad;
            int vmin = rows.Min(r => r.Version), vmax = rows.Max(r => r.Version);
            double X(int version) => vmax == vmin ? L + (W - L - R) / 2 : L + (W - L - R) * (version - vmin) / (vmax - vmin);
            double Y(double value) => T + (H - T - B) * (max - value) / (max - min);
            string F(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);

            h.Append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(W).Append("\" height=\"").Append(H)
             .Append("\" viewBox=\"0 0 ").Append(W).Append(' ').Append(H).Append("\" role=\"img\" data-group=\"").Append(E(group))
             .Append("\" data-metric=\"").Append(E(metric)).Append("\" aria-label=\"").Append(E($"{metric} by version, {group}")).Append("\">\n");
            h.Append("<title>").Append(E($"{metric} by version ({group})")).Append("</title>\n");
            h.Append("<text x=\"").Append(F(L)).Append("\" y=\"16\" font-size=\"13\" font-weight=\"600\">").Append(E(metric)).Append("</text>\n");
            h.Append("<line x1=\"").Append(F(L)).Append("\" y1=\"").Append(F(H - B)).Append("\" x2=\"").Append(F(W - R)).Append("\" y2=\"").Append(F(H - B)).Append("\" stroke=\"#999\"/>\n");
            h.Append("<line x1=\"").Append(F(L)).Append("\" y1=\"").Append(F(T)).Append("\" x2=\"").Append(F(L)).Append("\" y2=\"").Append(F(H - B)).Append("\" stroke=\"#999\"/>\n");
            foreach (var v in new[] { min + pad, max - pad }.Distinct())
                h.Append("<text x=\"").Append(F(L - 4)).Append("\" y=\"").Append(F(Y(v) + 4)).Append("\" font-size=\"10\" text-anchor=\"end\">")
                 .Append(E(MetricRule.Format(Math.Round(v, 4)))).Append("</text>\n");
            foreach (var r in rows)
                h.Append("<text x=\"").Append(F(X(r.Version))).Append("\" y=\"").Append(F(H - B + 14)).Append("\" font-size=\"10\" text-anchor=\"middle\">v")
                 .Append(r.Version.ToString(CultureInfo.InvariantCulture)).Append("</text>\n");
            foreach (var t in thresholds)
                h.Append("<line class=\"threshold\" data-threshold=\"").Append(MetricRule.Format(t)).Append("\" x1=\"").Append(F(L)).Append("\" y1=\"").Append(F(Y(t)))
                 .Append("\" x2=\"").Append(F(W - R)).Append("\" y2=\"").Append(F(Y(t))).Append("\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n");
            if (points.Count > 1)
                h.Append("<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"")
                 .Append(string.Join(" ", points.Select(p => F(X(p.Version)) + "," + F(Y(p.Value!.Value))))).Append("\"/>\n");
            foreach (var p in points)
            {
                var label = $"v{p.Version}: {metric} = {MetricRule.Format(p.Value!.Value)} ({p.Status})";
                h.Append("<circle class=\"point ").Append(p.Status).Append("\" data-version=\"").Append(p.Version.ToString(CultureInfo.InvariantCulture))
                 .Append("\" data-value=\"").Append(MetricRule.Format(p.Value.Value)).Append("\" data-status=\"").Append(p.Status)
                 .Append("\" cx=\"").Append(F(X(p.Version))).Append("\" cy=\"").Append(F(Y(p.Value.Value))).Append("\" r=\"5\"><title>")
                 .Append(E(label)).Append("</title></circle>\n");
            }
            h.Append("</svg>\n");
        }

        private static string E(string s) => WebUtility.HtmlEncode(s);

        // Sorts a table by the clicked column: numbers numerically, the rest as text; a second click reverses.
        private const string SortScript = @"document.querySelectorAll('table.audit').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, index) {
    th.addEventListener('click', function () {
      var asc = !th.classList.contains('asc');
      table.querySelectorAll('th').forEach(function (x) { x.classList.remove('asc', 'desc'); });
      th.classList.add(asc ? 'asc' : 'desc');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[index].textContent, y = b.cells[index].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny) && String(nx) === x.trim() && String(ny) === y.trim()) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});";
    }
}
