package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"
)

// enrolledIn lists the user IDs of a course's enrollment list as the
// sandbox answers it over HTTP.
func enrolledIn(t *testing.T, get func(path string) *http.Response, path string) []int64 {
	t.Helper()
	resp := get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	var recs []struct {
		User     struct{ ID int64 }
		CourseID string
	}
	if err := json.NewDecoder(resp.Body).Decode(&recs); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	var ids []int64
	for _, r := range recs {
		ids = append(ids, r.User.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestEnrollmentListsKeepIDsThatDifferInCase reads the enrollment lists of
// the seed's Ladder Safety (Wert98k) and Forklift Safety (WErt98k), in both
// orders and with the path words spelt in other cases: each course answers
// with its own people, as the state holds them, whatever was read before.
func TestEnrollmentListsKeepIDsThatDifferInCase(t *testing.T) {
	st := loadSeed(t)
	if !slices.ContainsFunc(st.Courses, func(c *Course) bool { return c.ID == "Wert98k" }) ||
		!slices.ContainsFunc(st.Courses, func(c *Course) bool { return c.ID == "WErt98k" }) {
		t.Fatal("the seed lacks Ladder Safety (Wert98k) or Forklift Safety (WErt98k)")
	}
	for _, order := range [][2]string{{"Wert98k", "WErt98k"}, {"WErt98k", "Wert98k"}} {
		t.Run(order[0]+" first", func(t *testing.T) {
			s, hs := serve(t, Options{})
			// Ladder Safety has nobody in the seed: enroll one active user
			// who is not in Forklift Safety, so both lists hold people.
			forklift := map[int64]bool{}
			for _, e := range st.Enrollments {
				if e.CourseID == "WErt98k" {
					forklift[e.UserID] = true
				}
			}
			var ladder int64
			for _, u := range st.Users {
				if u.Status == "Active" && !forklift[u.ID] {
					ladder = u.ID
					break
				}
			}
			if resp := call(t, hs, "POST", "/organizations/99999/courses/Wert98k/enrollments", `{"userid":"`+strconv.FormatInt(ladder, 10)+`"}`); resp.StatusCode != http.StatusNoContent {
				t.Fatalf("enroll %d in Wert98k: %s", ladder, resp.Status)
			}
			now := s.Snapshot()
			active := map[int64]bool{}
			for _, u := range now.Users {
				active[u.ID] = u.Status == "Active"
			}
			want := map[string][]int64{}
			for _, e := range now.Enrollments {
				if active[e.UserID] {
					want[e.CourseID] = append(want[e.CourseID], e.UserID)
				}
			}
			for _, ids := range want {
				slices.Sort(ids)
			}
			if len(want["WErt98k"]) == 0 || !slices.Equal(want["Wert98k"], []int64{ladder}) {
				t.Fatalf("state: Wert98k %v, WErt98k %v", want["Wert98k"], want["WErt98k"])
			}
			get := func(path string) *http.Response { return call(t, hs, "GET", path, "") }
			for _, id := range []string{order[0], order[1], order[0]} {
				for _, path := range []string{
					"/organizations/99999/courses/" + id + "/enrollments?per_page=500",
					"/organizations/99999/Courses/" + id + "/Enrollments?per_page=500",
				} {
					if got := enrolledIn(t, get, path); !slices.Equal(got, want[id]) {
						t.Errorf("GET %s: users %v, want %v", path, got, want[id])
					}
				}
			}
		})
	}
}
