"""ClusterDesk: the platform an innovation cluster runs on."""
