"""naikkelas: registry and coaching platform for a Dinas Koperasi dan UMKM."""
