package ilms

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"
)

// requestCase is one documented operation: how the client is called, and
// the request the document says it sends (method, path, query, body), with
// an answer to give back.
type requestCase struct {
	name   string
	call   func(context.Context, *Client) error
	method string
	path   string // as the document writes it
	query  string // url-encoded, compared as values; "" for none
	body   string // the document's example body; "" for none
	status int
	answer string
	header map[string]string
}

func listPage[T any](p *Pager[T]) func(context.Context, *Client) error {
	return func(ctx context.Context, _ *Client) error {
		_, _, err := p.Page(ctx, 1)
		return err
	}
}

func noErr[T any](f func() (T, error)) error { _, err := f(); return err }

// requestCases lists every documented method + path pair (65), each with
// the body of the document's example where it gives one.
func requestCases(c *Client) []requestCase {
	const pg = "page=1&per_page=100"
	const user444038 = `{"userid":"444038"}`
	created := func(loc string) map[string]string {
		return map[string]string{"Location": "https://api.inspiredlms.com" + loc}
	}
	return []requestCase{
		// Users
		{name: "Users.List", call: listPage(c.Users.List(nil)), method: "GET", path: "/organizations/99999/users", query: pg, answer: "[]"},
		{name: "Users.Get", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (*User, error) { return c.Users.Get(ctx, 517244) })
		},
			method: "GET", path: "/organizations/99999/users/517244", answer: `{"ID":517244}`},
		{name: "Users.Create", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (int64, error) {
				return c.Users.Create(ctx, NewUser{UserProfileData: []ProfileField{
					{"F001", "John"}, {"F003", "Doe"}, {"F015", "john.burt@email.com"}, {"F019", "region 1"}, {"F020", "Division 1"}, {"F021", "Department 1"},
				}, SendRegistrationMail: true, ChangePasswordAtNextLogin: true})
			})
		}, method: "POST", path: "/organizations/99999/users", status: 201, answer: "123456",
			body:   `{"userProfileData":[{"Key":"F001","Value":"John"},{"Key":"F003","Value":"Doe"},{"Key":"F015","Value":"john.burt@email.com"},{"Key":"F019","Value":"region 1"},{"Key":"F020","Value":"Division 1"},{"Key":"F021","Value":"Department 1"}],"sendRegistrationMail":true,"changePasswordAtNextLogin":true}`,
			header: created("/organizations/99999/users/123456")},
		{name: "Users.Update", call: func(ctx context.Context, c *Client) error {
			return c.Users.Update(ctx, 123456, []ProfileField{{"F001", "John"}, {"F003", "Doe"}})
		}, method: "PUT", path: "/organizations/99999/users/123456", status: 204, body: `[{"Key":"F001","Value":"John"}, {"Key":"F003","Value":"Doe"}]`},
		{name: "Users.Inactivate", call: func(ctx context.Context, c *Client) error { return c.Users.Inactivate(ctx, 123456) },
			method: "DELETE", path: "/organizations/99999/users/123456/Activate", status: 204},
		{name: "Users.Activate", call: func(ctx context.Context, c *Client) error { return c.Users.Activate(ctx, 123456) },
			method: "PUT", path: "/organizations/99999/users/123456/Activate", status: 204},
		{name: "Users.Delete", call: func(ctx context.Context, c *Client) error { return c.Users.Delete(ctx, 123456) },
			method: "DELETE", path: "/organizations/99999/users/123456", status: 204},
		{name: "Users.Purge", call: func(ctx context.Context, c *Client) error { return c.Users.Purge(ctx, 123456) },
			method: "DELETE", path: "/organizations/99999/users/123456/purge", status: 204},
		{name: "Users.ResetPassword", call: func(ctx context.Context, c *Client) error {
			return c.Users.ResetPassword(ctx, 123456, "password123", true)
		},
			method: "PUT", path: "/organizations/99999/users/123456/password", status: 204, body: `{"newpassword":"password123","changepasswordatnextlogin":"true"}`},
		// Groups
		{name: "Groups.List", call: func(ctx context.Context, c *Client) error {
			_, _, err := c.Groups.List("").PerPage(2).Page(ctx, 3)
			return err
		}, method: "GET", path: "/organizations/99999/groups", query: "page=3&per_page=2", answer: "[]"},
		{name: "Groups.Get", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (*Group, error) { return c.Groups.Get(ctx, 2) })
		},
			method: "GET", path: "/organizations/99999/groups/2", answer: `{"ID":2}`},
		{name: "Groups.Members", call: func(ctx context.Context, c *Client) error {
			_, _, err := c.Groups.Members(345, Sort{}).PerPage(2).Page(ctx, 3)
			return err
		}, method: "GET", path: "/organizations/99999/groups/345/members", query: "page=3&per_page=2", answer: "[]"},
		{name: "Groups.AddMember", call: func(ctx context.Context, c *Client) error { return c.Groups.AddMember(ctx, 345, 444038) },
			method: "POST", path: "/organizations/99999/groups/345/members", status: 201, body: user444038, header: created("/organizations/99999/groups/345/members/444038")},
		{name: "Groups.RemoveMember", call: func(ctx context.Context, c *Client) error { return c.Groups.RemoveMember(ctx, 345, 12345) },
			method: "DELETE", path: "/organizations/99999/groups/345/members/12345", status: 204},
		{name: "Groups.Courses", call: func(ctx context.Context, c *Client) error {
			_, _, err := c.Groups.Courses(345, "").PerPage(2).Page(ctx, 1)
			return err
		}, method: "GET", path: "/organizations/99999/groups/345/groupcourses", query: "page=1&per_page=2", answer: "[]"},
		{name: "Groups.AddCourse", call: func(ctx context.Context, c *Client) error { return c.Groups.AddCourse(ctx, 345, "WErt98k") },
			method: "POST", path: "/organizations/99999/groups/345/groupcourses", status: 201, body: `{"courseid":"WErt98k"}`, header: created("/organizations/99999/groups/345/groupcourses/WErt98k")},
		{name: "Groups.RemoveCourse", call: func(ctx context.Context, c *Client) error { return c.Groups.RemoveCourse(ctx, 345, "Wert98k") },
			method: "DELETE", path: "/organizations/99999/groups/345/groupcourses/Wert98k", status: 204},
		{name: "Groups.SetCourseSettings", call: func(ctx context.Context, c *Client) error {
			days := 30
			return c.Groups.SetCourseSettings(ctx, 345, "Wert98k", GroupCourseSettings{RequirementType: "mandatory", DefaultDueDateSettings: DueDateSettings{DaysAfterEnrollment: &days}})
		}, method: "PUT", path: "/organizations/99999/groups/345/groupcourses/Wert98k/settings", status: 204,
			body: `{"RequirementType":"mandatory","DefaultDueDateSettings":{"DefaultDueDate":null,"DaysAfterEnrollment":30}}`},
		{name: "Groups.Refresh", call: func(ctx context.Context, c *Client) error { return c.Groups.Refresh(ctx, 345) },
			method: "PUT", path: "/organizations/99999/groups/345/refresh", status: 204},
		{name: "Groups.InclusionList", call: listPage(c.Groups.InclusionList(345, nil)), method: "GET", path: "/organizations/99999/groups/345/explicitinclusionlistusers", query: pg, answer: "[]"},
		{name: "Groups.AddToInclusionList", call: func(ctx context.Context, c *Client) error { return c.Groups.AddToInclusionList(ctx, 345, 444038) },
			method: "POST", path: "/organizations/99999/groups/345/explicitinclusionlistusers", status: 201, body: user444038},
		{name: "Groups.RemoveFromInclusionList", call: func(ctx context.Context, c *Client) error { return c.Groups.RemoveFromInclusionList(ctx, 345, 12345) },
			method: "DELETE", path: "/organizations/99999/groups/345/explicitinclusionlistusers/12345", status: 204},
		{name: "Groups.ExclusionList", call: listPage(c.Groups.ExclusionList(345, nil)), method: "GET", path: "/organizations/99999/groups/345/explicitexclusionlistusers", query: pg, answer: "[]"},
		{name: "Groups.AddToExclusionList", call: func(ctx context.Context, c *Client) error { return c.Groups.AddToExclusionList(ctx, 345, 444038) },
			method: "POST", path: "/organizations/99999/groups/345/explicitexclusionlistusers", status: 201, body: user444038},
		{name: "Groups.RemoveFromExclusionList", call: func(ctx context.Context, c *Client) error { return c.Groups.RemoveFromExclusionList(ctx, 345, 12345) },
			method: "DELETE", path: "/organizations/99999/groups/345/explicitexclusionlistusers/12345", status: 204},
		// Hierarchy
		{name: "Hierarchy.Regions", call: listPage(c.Hierarchy.Regions()), method: "GET", path: "/organizations/99999/regions", query: pg, answer: "[]"},
		{name: "Hierarchy.CreateRegion", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (int64, error) { return c.Hierarchy.CreateRegion(ctx, "MyRegion") })
		}, method: "POST", path: "/organizations/99999/regions", status: 201, body: `{"name": "MyRegion"}`, answer: "123456", header: created("/organizations/99999/regions/123456")},
		{name: "Hierarchy.RenameRegion", call: func(ctx context.Context, c *Client) error {
			return c.Hierarchy.RenameRegion(ctx, 123456, "MyNewRegion")
		},
			method: "PUT", path: "/organizations/99999/regions/123456", status: 204, body: `{"name": "MyNewRegion"}`},
		{name: "Hierarchy.DeleteRegion", call: func(ctx context.Context, c *Client) error { return c.Hierarchy.DeleteRegion(ctx, 123456) },
			method: "DELETE", path: "/organizations/99999/regions/123456", status: 204},
		{name: "Hierarchy.Divisions", call: listPage(c.Hierarchy.Divisions(123456)), method: "GET", path: "/organizations/99999/regions/123456/divisions", query: pg, answer: "[]"},
		{name: "Hierarchy.CreateDivision", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (int64, error) { return c.Hierarchy.CreateDivision(ctx, 123456, "MyDivision") })
		}, method: "POST", path: "/organizations/99999/regions/123456/divisions", status: 201, body: `{"name": "MyDivision"}`, answer: "234567"},
		{name: "Hierarchy.RenameDivision", call: func(ctx context.Context, c *Client) error {
			return c.Hierarchy.RenameDivision(ctx, 123456, 234567, "MyNewDivision")
		},
			method: "PUT", path: "/organizations/99999/regions/123456/divisions/234567", status: 204, body: `{"name":"MyNewDivision"}`},
		{name: "Hierarchy.DeleteDivision", call: func(ctx context.Context, c *Client) error { return c.Hierarchy.DeleteDivision(ctx, 123456, 234567) },
			method: "DELETE", path: "/organizations/99999/regions/123456/divisions/234567", status: 204},
		{name: "Hierarchy.Departments", call: listPage(c.Hierarchy.Departments(123456, 234567)), method: "GET", path: "/organizations/99999/regions/123456/divisions/234567/departments", query: pg, answer: "[]"},
		{name: "Hierarchy.CreateDepartment", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (int64, error) { return c.Hierarchy.CreateDepartment(ctx, 123456, 234567, "MyDepartment") })
		}, method: "POST", path: "/organizations/99999/regions/123456/divisions/234567/departments", status: 201, body: `{"name": "MyDepartment"}`,
			header: created("/organizations/99999/regions/123456/divisions/234567/departments/345678")},
		{name: "Hierarchy.RenameDepartment", call: func(ctx context.Context, c *Client) error {
			return c.Hierarchy.RenameDepartment(ctx, 123456, 234567, 345678, "MyNewDepartment")
		}, method: "PUT", path: "/organizations/99999/regions/123456/divisions/234567/departments/345678", status: 204, body: `{"name": "MyNewDepartment"}`},
		{name: "Hierarchy.DeleteDepartment", call: func(ctx context.Context, c *Client) error {
			return c.Hierarchy.DeleteDepartment(ctx, 123456, 234567, 345678)
		},
			method: "DELETE", path: "/organizations/99999/regions/123456/divisions/234567/departments/345678", status: 204},
		// Transcripts
		{name: "Transcripts.OfUser", call: func(ctx context.Context, c *Client) error {
			return noErr(func() ([]Transcript, error) { return c.Transcripts.OfUser(ctx, 123456) })
		}, method: "GET", path: "/organizations/99999/users/123456/transcripts", answer: "[]"},
		{name: "Transcripts.ForCourse", call: func(ctx context.Context, c *Client) error {
			return noErr(func() ([]Transcript, error) { return c.Transcripts.ForCourse(ctx, 123456, "fO1uIKJO") })
		}, method: "GET", path: "/organizations/99999/users/123456/courses/fO1uIKJO/transcripts", answer: "[]"},
		{name: "Transcripts.ForCurriculum", call: func(ctx context.Context, c *Client) error {
			return noErr(func() ([]Transcript, error) { return c.Transcripts.ForCurriculum(ctx, 123456, "PP1uIKJO") })
		}, method: "GET", path: "/organizations/99999/users/123456/curricula/PP1uIKJO/transcripts", answer: "[]"},
		{name: "Transcripts.ForSession", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (*Transcript, error) { return c.Transcripts.ForSession(ctx, 123456, "iiOYhg6E", 517378) })
		}, method: "GET", path: "/organizations/99999/users/123456/courses/iiOYhg6E/sessions/517378/transcripts", answer: `{"CourseID":"iiOYhg6E","SessionID":5119}`},
		{name: "Transcripts.UpdateCourse", call: func(ctx context.Context, c *Client) error {
			return c.Transcripts.UpdateCourse(ctx, 123456, "fO1uIKJO", docTranscriptUpdate())
		}, method: "PUT", path: "/organizations/99999/users/123456/courses/fO1uIKJO/transcripts", status: 204, body: docTranscriptBody},
		{name: "Transcripts.UpdateCurriculum", call: func(ctx context.Context, c *Client) error {
			return c.Transcripts.UpdateCurriculum(ctx, 123456, "PP1uIKJO", docTranscriptUpdate())
		}, method: "PUT", path: "/organizations/99999/users/123456/curricula/PP1uIKJO/transcripts", status: 204, body: docTranscriptBody},
		{name: "Transcripts.UpdateSession", call: func(ctx context.Context, c *Client) error {
			return c.Transcripts.UpdateSession(ctx, 123456, "iiOYhg6E", 517378, docTranscriptUpdate())
		}, method: "PUT", path: "/organizations/99999/users/123456/courses/iiOYhg6E/sessions/517378/transcripts", status: 204, body: docTranscriptBody},
		// Courses
		{name: "Courses.List", call: listPage(c.Courses.List(CourseListOptions{})), method: "GET", path: "/organizations/99999/courses", query: pg, answer: "[]"},
		{name: "Courses.Get", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (*Course, error) { return c.Courses.Get(ctx, "p1gyJg4a") })
		},
			method: "GET", path: "/organizations/99999/courses/p1gyJg4a", answer: `{"ID":"p1gyJg4a","Credits":"10"}`},
		{name: "Courses.DueDate", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (*DueDateSettings, error) { return c.Courses.DueDate(ctx, "p1gyJg4a") })
		}, method: "GET", path: "/organizations/99999/courses/p1gyJg4a/duedate", answer: `{"DefaultDueDate":null,"DaysAfterEnrollment":4}`},
		{name: "Courses.SetDueDate", call: func(ctx context.Context, c *Client) error {
			return c.Courses.SetDueDate(ctx, "p1gyJg4a", DueDateSettings{DefaultDueDate: DatePtr(time.Date(2014, 11, 22, 0, 0, 0, 0, time.UTC))})
		}, method: "PUT", path: "/organizations/99999/courses/p1gyJg4a/DueDate", status: 204, body: `{"DefaultDueDate":"2014-11-22T00:00:00","DaysAfterEnrollment":null}`},
		{name: "Courses.Inactivate", call: func(ctx context.Context, c *Client) error { return c.Courses.Inactivate(ctx, "p1gyJg4a") },
			method: "DELETE", path: "/organizations/99999/courses/p1gyJg4a/Activate", status: 204},
		{name: "Courses.Activate", call: func(ctx context.Context, c *Client) error { return c.Courses.Activate(ctx, "p1gyJg4a") },
			method: "PUT", path: "/organizations/99999/courses/p1gyJg4a/Activate", status: 204},
		// Curricula
		{name: "Curricula.List", call: listPage(c.Curricula.List("")), method: "GET", path: "/organizations/99999/curricula", query: pg, answer: "[]"},
		{name: "Curricula.Get", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (*Curriculum, error) { return c.Curricula.Get(ctx, "dHg6Kdl8") })
		},
			method: "GET", path: "/organizations/99999/curricula/dHg6Kdl8", answer: `{"ID":"dHg6Kdl8"}`},
		{name: "Curricula.SetDueDate", call: func(ctx context.Context, c *Client) error {
			return c.Curricula.SetDueDate(ctx, "dHg6Kdl8", DueDateSettings{DefaultDueDate: DatePtr(time.Date(2014, 11, 22, 0, 0, 0, 0, time.UTC))})
		}, method: "PUT", path: "/organizations/99999/curriculum/dHg6Kdl8/DueDate", status: 204, body: `{"DefaultDueDate":"2014-11-22T00:00:00","DaysAfterEnrollment":null}`},
		// Sessions
		{name: "Sessions.List", call: func(ctx context.Context, c *Client) error {
			_, _, err := c.Sessions.List("pyOgaoli", SessionListOptions{
				StartDate: time.Date(2009, 10, 10, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC), Sort: "-sessionstartdate",
			}).PerPage(5).Page(ctx, 1)
			return err
		}, method: "GET", path: "/organizations/99999/courses/pyOgaoli/sessions", query: "sessionstartdate=2009-10-10&sessionenddate=2014-01-01&sort=-sessionstartdate&page=1&per_page=5", answer: "[]"},
		{name: "Sessions.Get", call: func(ctx context.Context, c *Client) error {
			return noErr(func() (*Session, error) { return c.Sessions.Get(ctx, "pyOgaoli", 4855) })
		}, method: "GET", path: "/organizations/99999/courses/pyOgaoli/sessions/4855", answer: `{"SessionID":4855}`},
		// Enrollments
		{name: "Enrollments.Course", call: func(ctx context.Context, c *Client) error {
			_, _, err := c.Enrollments.Course("meOexN1A", EnrollmentListOptions{}).PerPage(2).Page(ctx, 1)
			return err
		}, method: "GET", path: "/organizations/99999/courses/meOexN1A/enrollments", query: "page=1&per_page=2", answer: "[]"},
		{name: "Enrollments.EnrollCourse", call: func(ctx context.Context, c *Client) error { return c.Enrollments.EnrollCourse(ctx, "meOexN1A", 444038) },
			method: "POST", path: "/organizations/99999/courses/meOexN1A/enrollments", status: 204, body: user444038},
		{name: "Enrollments.UnenrollCourse", call: func(ctx context.Context, c *Client) error {
			return c.Enrollments.UnenrollCourse(ctx, "meOexN1A", 444038)
		},
			method: "DELETE", path: "/organizations/99999/courses/meOexN1A/enrollments", status: 204, body: user444038},
		{name: "Enrollments.Curriculum", call: func(ctx context.Context, c *Client) error {
			_, _, err := c.Enrollments.Curriculum("h0IHluoD", EnrollmentListOptions{}).PerPage(2).Page(ctx, 1)
			return err
		}, method: "GET", path: "/organizations/99999/curricula/h0IHluoD/Enrollments", query: "page=1&per_page=2", answer: "[]"},
		{name: "Enrollments.EnrollCurriculum", call: func(ctx context.Context, c *Client) error {
			return c.Enrollments.EnrollCurriculum(ctx, "h0IHluoD", 444038)
		},
			method: "POST", path: "/organizations/99999/curricula/h0IHluoD/enrollments", status: 204, body: user444038},
		{name: "Enrollments.UnenrollCurriculum", call: func(ctx context.Context, c *Client) error {
			return c.Enrollments.UnenrollCurriculum(ctx, "h0IHluoD", 444038)
		},
			method: "DELETE", path: "/organizations/99999/curricula/h0IHluoD/enrollments", status: 204, body: user444038},
		{name: "Enrollments.Session", call: func(ctx context.Context, c *Client) error {
			_, _, err := c.Enrollments.Session("iiOYhg6E", 1234, EnrollmentListOptions{}).PerPage(2).Page(ctx, 1)
			return err
		}, method: "GET", path: "/organizations/99999/courses/iiOYhg6E/sessions/1234/enrollments", query: "page=1&per_page=2", answer: "[]"},
		{name: "Enrollments.EnrollSession", call: func(ctx context.Context, c *Client) error {
			return c.Enrollments.EnrollSession(ctx, "iiOYhg6E", 1234, 444038)
		},
			method: "POST", path: "/organizations/99999/courses/iiOYhg6E/sessions/1234/enrollments", status: 204, body: user444038},
		{name: "Enrollments.UnenrollSession", call: func(ctx context.Context, c *Client) error {
			return c.Enrollments.UnenrollSession(ctx, "iiOYhg6E", 1234, 444038)
		},
			method: "DELETE", path: "/organizations/99999/courses/iiOYhg6E/sessions/1234/enrollments", status: 204, body: user444038},
		// Reports
		{name: "Reports.EnrollmentSummary", call: func(ctx context.Context, c *Client) error {
			return noErr(func() ([]SummaryRow, error) {
				return c.Reports.EnrollmentSummary(ctx, SummaryOptions{CourseID: "plokiuytr", IncludeInactiveUsers: true})
			})
		}, method: "GET", path: "/organizations/99999/reports/enrollmentssummary", query: "courseid=plokiuytr&includeinactiveusers=true", answer: "[]"},
	}
}

// docTranscriptBody is the document's example of Modify User's Transcript.
const docTranscriptBody = `{"enrollmentdate":"2013-10-10T10:00:00","startdate":"2013-10-12T10:00:00","completiondate":"2013-10-14T10:00:00","score":"100","status":"pass"}`

func docTranscriptUpdate() TranscriptUpdate {
	score := 100
	return TranscriptUpdate{
		EnrollmentDate: DatePtr(time.Date(2013, 10, 10, 10, 0, 0, 0, time.UTC)),
		StartDate:      DatePtr(time.Date(2013, 10, 12, 10, 0, 0, 0, time.UTC)),
		CompletionDate: DatePtr(time.Date(2013, 10, 14, 10, 0, 0, 0, time.UTC)),
		Status:         "pass", Score: &score,
	}
}

// TestRequestsMatchTheDocument sends every documented operation through
// the client and compares method, path, query and body with the document's
// examples, and the authentication headers with what every request needs.
func TestRequestsMatchTheDocument(t *testing.T) {
	c, mux := setup(t)
	type seen struct {
		method, path, query, body string
		header                    http.Header
	}
	var last seen
	var answer requestCase
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		last = seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, string(b), r.Header.Clone()}
		for k, v := range answer.header {
			w.Header().Set(k, v)
		}
		status := answer.status
		if status == 0 {
			status = 200
		}
		w.WriteHeader(status)
		io.WriteString(w, answer.answer)
	})
	cases := requestCases(c)
	if len(cases) != 65 {
		t.Errorf("%d documented operations tested, want 65", len(cases))
	}
	pairs := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			answer, last = tc, seen{}
			if err := tc.call(ctx(t), c); err != nil {
				t.Fatalf("call: %v", err)
			}
			if last.method != tc.method || last.path != tc.path {
				t.Errorf("sent %s %s, want %s %s", last.method, last.path, tc.method, tc.path)
			}
			gotQ, _ := url.ParseQuery(last.query)
			wantQ, _ := url.ParseQuery(tc.query)
			if !reflect.DeepEqual(gotQ, wantQ) {
				t.Errorf("query %q, want %q", last.query, tc.query)
			}
			switch {
			case tc.body == "" && last.body != "":
				t.Errorf("sent body %s, want none", last.body)
			case tc.body != "" && !jsonEqual(t, last.body, tc.body):
				t.Errorf("body %s\nwant %s (the document's example)", last.body, tc.body)
			}
			r := &http.Request{Method: last.method, Header: last.header, URL: &url.URL{Path: last.path}}
			testHeaders(t, r)
			pairs[tc.method+" "+tc.path] = true
		})
	}
	if len(pairs) != 65 {
		t.Errorf("%d distinct method + path pairs, want 65", len(pairs))
	}
}
