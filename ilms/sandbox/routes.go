package sandbox

import (
	"net/http"
	"strings"
)

// route is one documented operation. Literal segments match without regard
// to case (the document writes Activate, DueDate and Enrollments in one
// place and duedate and enrollments in another); {name} segments capture,
// exactly as sent. Only the paths the document prints are served: where it
// prints two for one operation, both (see docs/api-notes.md).
type route struct {
	method  string
	segs    []string
	feature string
	h       func(*request) error
}

func (s *Server) routeTable() []route {
	var rs []route
	add := func(method, pattern, feature string, h func(*request) error) {
		rs = append(rs, route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), feature: feature, h: h})
	}
	const (
		org   = "organizations/{org}"
		user  = org + "/users/{user}"
		group = org + "/groups/{group}"
		reg   = org + "/regions/{region}"
		div   = reg + "/divisions/{division}"
		dep   = div + "/departments/{department}"
		crs   = org + "/courses/{course}"
		sess  = crs + "/sessions/{session}"
		cur   = org + "/curricula/{curriculum}"
	)
	// Users
	add("GET", org+"/users", "users", s.listUsers)
	add("POST", org+"/users", "users", s.createUser)
	add("GET", user, "users", s.getUser)
	add("PUT", user, "users", s.updateUser)
	add("DELETE", user, "users", s.deleteUser)
	add("PUT", user+"/Activate", "users", s.activateUser)
	add("DELETE", user+"/Activate", "users", s.inactivateUser)
	add("DELETE", user+"/purge", "users", s.purgeUser)
	add("PUT", user+"/password", "users", s.resetPassword)
	// Groups
	add("GET", org+"/groups", "groups", s.listGroups)
	add("GET", group, "groups", s.getGroup)
	add("GET", group+"/members", "groups", s.listMembers)
	add("POST", group+"/members", "groups", s.addMember)
	add("DELETE", group+"/members/{user}", "groups", s.removeMember)
	add("GET", group+"/groupcourses", "groups", s.listGroupCourses)
	add("POST", group+"/groupcourses", "groups", s.addGroupCourse)
	add("DELETE", group+"/groupcourses/{course}", "groups", s.removeGroupCourse)
	// The URL line and the request example end in /settings (lines 1387,
	// 1410), the curl example does not (line 1431).
	add("PUT", group+"/groupcourses/{course}/settings", "groups", s.groupCourseSettings)
	add("PUT", group+"/groupcourses/{course}", "groups", s.groupCourseSettings)
	add("PUT", group+"/refresh", "groups", s.refreshGroup)
	add("GET", group+"/explicitinclusionlistusers", "groups", s.listExplicit(true))
	add("POST", group+"/explicitinclusionlistusers", "groups", s.addExplicit(true))
	add("DELETE", group+"/explicitinclusionlistusers/{user}", "groups", s.removeExplicit(true))
	add("GET", group+"/explicitexclusionlistusers", "groups", s.listExplicit(false))
	add("POST", group+"/explicitexclusionlistusers", "groups", s.addExplicit(false))
	add("DELETE", group+"/explicitexclusionlistusers/{user}", "groups", s.removeExplicit(false))
	// Hierarchy
	add("GET", org+"/regions", "hierarchy", s.listRegions)
	add("POST", org+"/regions", "hierarchy", s.createRegion)
	add("PUT", reg, "hierarchy", s.renameRegion)
	add("DELETE", reg, "hierarchy", s.deleteRegion)
	add("GET", reg+"/divisions", "hierarchy", s.listDivisions)
	add("POST", reg+"/divisions", "hierarchy", s.createDivision)
	add("PUT", div, "hierarchy", s.renameDivision)
	add("DELETE", div, "hierarchy", s.deleteDivision)
	add("GET", div+"/departments", "hierarchy", s.listDepartments)
	add("POST", div+"/departments", "hierarchy", s.createDepartment)
	add("PUT", dep, "hierarchy", s.renameDepartment)
	add("DELETE", dep, "hierarchy", s.deleteDepartment)
	// Transcripts
	add("GET", user+"/transcripts", "transcripts", s.userTranscripts)
	add("GET", user+"/courses/{course}/transcripts", "transcripts", s.courseTranscript)
	add("GET", user+"/curricula/{course}/transcripts", "transcripts", s.curriculumTranscript)
	add("GET", user+"/courses/{course}/sessions/{session}/transcripts", "transcripts", s.sessionTranscript)
	add("PUT", user+"/courses/{course}/transcripts", "transcripts", s.modifyTranscript(kindCourse))
	add("PUT", user+"/curricula/{course}/transcripts", "transcripts", s.modifyTranscript(kindCurriculum))
	add("PUT", user+"/courses/{course}/sessions/{session}/transcripts", "transcripts", s.modifyTranscript(kindSession))
	// The URL lines give the three paths above (lines 3117–3123), the
	// request and curl examples PUT …/users/{id}/transcripts?courseid=…
	// (lines 3154, 3179).
	add("PUT", user+"/transcripts", "transcripts", s.modifyTranscript(kindQuery))
	// Courses
	add("GET", org+"/courses", "courses", s.listCourses)
	add("GET", crs, "courses", s.getCourse)
	add("GET", crs+"/duedate", "courses", s.getCourseDueDate)
	add("PUT", crs+"/DueDate", "courses", s.setCourseDueDate)
	add("PUT", crs+"/Activate", "courses", s.activateCourse)
	// Inactivate a course: the URL line is DELETE …/courses/{courseID}
	// (line 3492), the request and curl examples add /Activate (lines 3508,
	// 3526).
	add("DELETE", crs+"/Activate", "courses", s.inactivateCourse)
	add("DELETE", crs, "courses", s.inactivateCourse)
	// Curricula
	add("GET", org+"/curricula", "curricula", s.listCurricula)
	add("GET", cur, "curricula", s.getCurriculum)
	// Singular "curriculum" in the URL line and both examples (lines 3736,
	// 3756, 3777), unlike every other curriculum path; the plural form is
	// printed nowhere for this call, so it is not served.
	add("PUT", org+"/curriculum/{curriculum}/DueDate", "curricula", s.setCurriculumDueDate)
	// Sessions
	add("GET", crs+"/sessions", "sessions", s.listSessions)
	add("GET", sess, "sessions", s.getSession)
	// Enrollments
	add("GET", crs+"/enrollments", "enrollments", s.listEnrollments(kindCourse))
	add("POST", crs+"/enrollments", "enrollments", s.enroll(kindCourse))
	add("DELETE", crs+"/enrollments", "enrollments", s.unenroll(kindCourse))
	add("GET", cur+"/Enrollments", "enrollments", s.listEnrollments(kindCurriculum))
	add("POST", cur+"/enrollments", "enrollments", s.enroll(kindCurriculum))
	add("DELETE", cur+"/enrollments", "enrollments", s.unenroll(kindCurriculum))
	add("GET", sess+"/enrollments", "enrollments", s.listEnrollments(kindSession))
	add("POST", sess+"/enrollments", "enrollments", s.enroll(kindSession))
	add("DELETE", sess+"/enrollments", "enrollments", s.unenroll(kindSession))
	// Reports
	add("GET", org+"/reports/enrollmentssummary", "reports", s.enrollmentSummary)
	return rs
}

// match finds the route for method and path segments; when the path exists
// under other methods only, it returns them.
func (s *Server) match(method string, segs []string) (*route, map[string]string, []string) {
	var allowed []string
	for i := range s.routes {
		rt := &s.routes[i]
		params, ok := matchSegs(rt.segs, segs)
		if !ok {
			continue
		}
		if rt.method == method {
			return rt, params, nil
		}
		if method == http.MethodHead && rt.method == http.MethodGet {
			return rt, params, nil
		}
		allowed = append(allowed, rt.method)
	}
	return nil, nil, allowed
}

func matchSegs(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") {
			if params == nil {
				params = map[string]string{}
			}
			params[strings.Trim(p, "{}")] = segs[i]
			continue
		}
		if !strings.EqualFold(p, segs[i]) {
			return nil, false
		}
	}
	return params, true
}

// RouteCount is the number of method + path pairs the sandbox serves,
// including the document's alternative spellings.
func (s *Server) RouteCount() int { return len(s.routes) }
