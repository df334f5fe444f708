"""Reference data tables shipped with Reencuentro (installed as ``reencuentro_data``)."""
