"""The Kemendagri region tree (province → regency/city → district → village) and its loader."""
