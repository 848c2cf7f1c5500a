// The projection's scan of one label's nodes (port `scanTopology`): exported to a temporary CSV file of the
// adapter's own making, which it parses, because Kuzu's row API costs a few µs a row and COPY a fraction
// of that. The offset is Kuzu's internal position of the node in its table, by which the edge export names
// endpoints.
COPY (MATCH (n:`{{label}}`) RETURN offset(id(n)), n.id, n.props) TO '{{file}}' (DELIM='|', QUOTE='`', ESCAPE='`')
