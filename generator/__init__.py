"""Static reporting site generator for the customer manager system (客户经理制)."""
