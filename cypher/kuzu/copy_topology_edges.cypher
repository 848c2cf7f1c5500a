// The projection's scan of one (type, from label, to label)'s edges (port `scanTopology`), exported to a
// temporary CSV file as copy_topology_nodes is: endpoints as their offsets in their node tables, so that
// no id is read twice.
COPY (MATCH (a:`{{from}}`)-[e:`{{type}}`]->(b:`{{to}}`) RETURN offset(id(a)), offset(id(b)), e.key, e.props) TO '{{file}}' (DELIM='|', QUOTE='`', ESCAPE='`')
