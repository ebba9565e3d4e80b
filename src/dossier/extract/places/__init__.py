"""Places: the gazetteer (built from the installed GeoNames packages), its build step,
the normalisation of place names, and the resolver that turns a document's place
mentions into coordinates."""
