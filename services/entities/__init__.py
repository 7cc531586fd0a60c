"""Arabic named-entity recognition: people, places and organisations in news text."""
