package web

// projectWatchRoutes are the internal parts of the key projects' pages: the
// weekly reports, their review, the lights and the project register file.
func (s *Server) projectWatchRoutes() []route {
	return nil
}
